import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createServer, type Server } from 'node:http';
import { Client, startTestApp, type TestApp } from './harness';
import { attemptsOf, runnerOf, tenantWithSecret } from './rotation-fixtures';
import { connectedTenant, type ConnectedTenant } from './token-fixtures';

// Issue 11, finding 6: every address a tenant types goes through one outbound guard.
let t: TestApp;
/** The same code and database under NODE_ENV=production, where the guard refuses special-use ranges. */
let prod: TestApp;
let tenant: ConnectedTenant;
let prodAdmin: Client;
let idpKey: CryptoKey;
let strangerKey: CryptoKey;
let idp: Server;
let idpPort: number;
const hits: string[] = [];
const ISSUER = 'https://idp.acme.test/';
const AUDIENCE = 'acme-web';

beforeAll(async () => {
  t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0', EXCHANGE_FAILURES_PER_IP_PER_MINUTE: '0' });
  prod = await startTestApp({
    NODE_ENV: 'production',
    REMINDER_CRON: 'off',
    REQUIRE_STAFF_MFA: 'false',
    TOKEN_RATE_LIMIT_PER_MINUTE: '0',
    EXCHANGE_FAILURES_PER_IP_PER_MINUTE: '0',
  });
  const pair = await generateKeyPair('RS256');
  idpKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
  // One local server playing every kind of answer an internal port could give.
  idp = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url?.startsWith('/jwks'))
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    else if (req.url?.startsWith('/error')) res.writeHead(500).end('internal');
    else if (req.url?.startsWith('/html'))
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>admin</html>');
    else if (req.url?.startsWith('/redirect'))
      res.writeHead(302, { location: `http://127.0.0.1:${idpPort}/jwks` }).end();
    else if (req.url?.startsWith('/silent'))
      return; // never answers
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  idpPort = (idp.address() as { port: number }).port;
  tenant = await connectedTenant(t, { ttl: 600 });
  const email = `idp-admin-${Date.now()}@tenant.test`;
  const { password } = await t.newTenantAdmin(tenant.tenantId, email);
  prodAdmin = prod.client();
  expect((await prodAdmin.post('/api/auth/login', { email, password })).status).toBe(200);
}, 60_000);
afterAll(async () => {
  idp.closeAllConnections();
  idp.close();
  await prod.close();
  await t.close();
});

const idToken = (key: CryptoKey = idpKey) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
    .setSubject('user-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(key);

const setIdp = (admin: Client, jwksUrl: string) =>
  admin.put(`/api/tenants/${tenant.tenantId}/intercom/identity-provider`, {
    issuer: ISSUER,
    jwksUrl,
    audience: AUDIENCE,
  });

const exchange = async (app: TestApp, key?: CryptoKey) =>
  app
    .client(null)
    .post(
      '/v1/intercom/token/exchange',
      { tenant_id: tenant.tenantId, platform: 'web' },
      { authorization: `Bearer ${await idToken(key)}` },
    );

// The ranges issue 11 found passing, and the classics. Each is a literal, so no DNS is involved.
const SPECIAL_USE_HOSTS = [
  '10.0.0.5',
  '172.16.3.4',
  '192.168.1.10',
  '127.0.0.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '198.18.0.1',
  '192.0.0.8',
  '240.0.0.1',
  '[::1]',
  '[::]',
  '[fd00::1]',
  '[fe80::1]',
  '[::ffff:a9fe:a9fe]',
  '[64:ff9b::a9fe:a9fe]',
  '[::a9fe:a9fe]',
  '[2002:a9fe:a9fe::]',
  'localhost',
  'metadata.localhost',
];

test('in production, a JWKS URL or webhook pointing at any special-use range is refused on save with 400', async () => {
  const accepted: string[] = [];
  for (const host of SPECIAL_USE_HOSTS) {
    const jwks = await setIdp(prodAdmin, `https://${host}/jwks.json`);
    if (jwks.status !== 400 || !/jwksUrl points at a private or local address/.test(jwks.body.fields?.jwksUrl?.[0]))
      accepted.push(`jwks ${host}: ${jwks.status}`);
    const hook = await prodAdmin.put(`/api/tenants/${tenant.tenantId}/webhook`, { url: `https://${host}/hook` });
    if (hook.status !== 400 || !/url points at a private or local address/.test(hook.body.fields?.url?.[0]))
      accepted.push(`webhook ${host}: ${hook.status}`);
  }
  expect(accepted).toEqual([]);
  // Plain http is refused in production, localhost included.
  const http = await setIdp(prodAdmin, `http://localhost:${idpPort}/jwks`);
  expect(http.status).toBe(400);
  expect(http.body.fields.jwksUrl[0]).toMatch(/must use https/);
  // A public address passes (nothing is fetched on save; an unresolvable name is left to connection time).
  expect((await setIdp(prodAdmin, 'https://8.8.8.8/jwks.json')).status).toBe(200);
});

test('in production, a stored JWKS URL leading to this machine is refused at connection time: 401, nothing sent', async () => {
  // As saved before the guard existed, or outside production (the database is shared), or by a
  // name whose DNS answer changed since: the connection itself must refuse it.
  for (const url of [`http://127.0.0.1:${idpPort}/jwks`, `http://localhost:${idpPort}/jwks`]) {
    expect((await setIdp(tenant.admin, url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the change bus reaches the production app
    const before = hits.length;
    const res = await exchange(prod);
    expect({ url, status: res.status }).toEqual({ url, status: 401 });
    expect(hits.length).toBe(before);
  }
  expect(prod.logs.some((l) => l.includes('EOUTBOUNDREFUSED'))).toBe(true);
});

test('in production, a stored webhook leading to this machine is refused when delivering: nothing sent, the attempt says why', async () => {
  const s = await tenantWithSecret(t);
  const url = `http://localhost:${idpPort}/hook`;
  expect((await s.admin.put(`/api/tenants/${s.tenantId}/webhook`, { url })).status).toBe(201);
  const before = hits.length;
  await runnerOf(prod).run({ at: s.day(90), tenantId: s.tenantId });
  expect(hits.length).toBe(before);
  const [attempt] = await attemptsOf(prod, s.tenantId, 'webhook');
  expect(attempt).toMatchObject({ outcome: 'failed', status_code: null });
  expect(attempt!.error).toMatch(/special-use address \(loopback\)/);
  expect(attempt!.error).not.toContain(url);
});

test('the anonymous exchange answers the same 401 whatever the JWKS address did: no port-scan oracle', async () => {
  const closed = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
  const answers: Record<string, unknown> = {};
  for (const [name, url] of Object.entries({
    closedPort: `http://127.0.0.1:${closed}/jwks`,
    http500: `http://127.0.0.1:${idpPort}/error`,
    notJson: `http://127.0.0.1:${idpPort}/html`,
    redirect: `http://127.0.0.1:${idpPort}/redirect`,
    silent: `http://127.0.0.1:${idpPort}/silent`,
    wrongKey: `http://127.0.0.1:${idpPort}/jwks?k=${Date.now()}`,
  })) {
    expect((await setIdp(tenant.admin, url)).status).toBe(200);
    const res = await exchange(t, name === 'wrongKey' ? strangerKey : idpKey);
    answers[name] = { status: res.status, body: res.body };
  }
  const distinct = new Set(Object.values(answers).map((a) => JSON.stringify(a)));
  expect({ distinct: distinct.size, answers }).toEqual({ distinct: 1, answers: expect.anything() });
  expect(Object.values(answers)[0]).toMatchObject({ status: 401 });
  // The redirect was not followed: only the redirecting URL itself was asked.
  expect(hits.filter((h) => h === '/jwks').length).toBe(0);
  // And the guard still lets a real identity provider through (outside production, on loopback).
  expect((await setIdp(tenant.admin, `http://127.0.0.1:${idpPort}/jwks?ok=1`)).status).toBe(200);
  expect((await exchange(t)).status).toBe(200);
}, 30_000);
