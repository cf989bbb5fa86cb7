import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createServer, Server } from 'node:http';
import { startTestApp, TestApp } from './harness';
import { connectedTenant, verifyHs256, type ConnectedTenant } from './token-fixtures';

let t: TestApp;
let jwks: Server;
let jwksUrl: string;
let idpKey: CryptoKey;
let strangerKey: CryptoKey;
let tenant: ConnectedTenant;
const ISSUER = 'https://idp.acme.test/';
const AUDIENCE = 'acme-web';
const APP_ORIGIN = 'https://app.acme.test';

beforeAll(async () => {
  t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
  const pair = await generateKeyPair('RS256');
  idpKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
  // A real JWKS endpoint on a real port, as the tenant's identity provider would serve it.
  jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`;
  tenant = await connectedTenant(t, { ttl: 600 });
  const res = await tenant.admin.put(`/api/tenants/${tenant.tenantId}/intercom/identity-provider`, {
    issuer: ISSUER,
    jwksUrl,
    audience: AUDIENCE,
    userIdClaim: 'sub',
    emailClaim: 'email',
    allowedOrigins: [APP_ORIGIN],
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await t.close();
  jwks.close();
});

async function idToken(
  claims: Record<string, unknown> = {},
  opts: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string | number } = {},
) {
  return new SignJWT({ email: 'ada@acme.test', email_verified: true, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
    .setSubject('user-1001')
    .setIssuer(opts.issuer ?? ISSUER)
    .setAudience(opts.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(opts.key ?? idpKey);
}

const exchange = (
  token: string | null,
  body: unknown = { tenant_id: tenant.tenantId, platform: 'web' },
  origin: string | null = APP_ORIGIN,
) => t.client(origin).post('/v1/intercom/token/exchange', body, token ? { authorization: `Bearer ${token}` } : {});

test("a valid ID token from the tenant's identity provider becomes a Messenger JWT for that user", async () => {
  const res = await exchange(await idToken());
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  const verified = verifyHs256(res.body.token, tenant.secret);
  expect(verified!.payload).toMatchObject({ user_id: 'user-1001', email: 'ada@acme.test' });
  expect(verified!.payload.exp - verified!.payload.iat).toBe(600);
});

test('the email goes into the Messenger token only when the identity provider says it is verified', async () => {
  for (const email_verified of [false, 'true', undefined]) {
    const res = await exchange(await idToken({ email_verified }));
    expect(res.status).toBe(200);
    const payload = verifyHs256(res.body.token, tenant.secret)!.payload;
    expect({ email_verified, payload }).toEqual({
      email_verified,
      payload: expect.not.objectContaining({ email: expect.anything() }),
    });
    expect(payload.user_id).toBe('user-1001');
  }
  const verified = await exchange(await idToken({ email_verified: true }));
  expect(verifyHs256(verified.body.token, tenant.secret)!.payload.email).toBe('ada@acme.test');
});

test('tokens from another issuer, audience or key, expired ones, and alg none are refused with 401', async () => {
  const wrongIssuer = await exchange(await idToken({}, { issuer: 'https://evil.test/' }));
  expect(wrongIssuer.status).toBe(401);
  expect(wrongIssuer.body.message).toMatch(/"iss" claim/);
  const wrongAudience = await exchange(await idToken({}, { audience: 'other-app' }));
  expect(wrongAudience.status).toBe(401);
  expect(wrongAudience.body.message).toMatch(/"aud" claim/);
  const wrongKey = await exchange(await idToken({}, { key: strangerKey }));
  expect(wrongKey.status).toBe(401);
  expect(wrongKey.body.message).toMatch(/signature/);
  const expired = await exchange(await idToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 }));
  expect(expired.status).toBe(401);
  expect(expired.body.message).toMatch(/expired/);
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: 9e9 })).toString('base64url')}.`;
  expect((await exchange(none)).status).toBe(401);
  expect((await exchange(null)).status).toBe(401);
});

test('a browser origin the tenant did not allow gets 403; server calls without Origin pass', async () => {
  const token = await idToken();
  const foreign = await exchange(token, undefined, 'https://evil.test');
  expect(foreign.status).toBe(403);
  expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  expect((await exchange(token, undefined, null)).status).toBe(200);
});

test('the CORS preflight answers 204 with the allowed method and headers', async () => {
  const res = await t
    .client(APP_ORIGIN)
    .request('OPTIONS', '/v1/intercom/token/exchange', undefined, { 'access-control-request-method': 'POST' });
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-methods')).toBe('POST');
  expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
});

test('bad bodies get 400 and a tenant without an identity provider gets 409', async () => {
  const token = await idToken();
  const bad = await exchange(token, { tenant_id: 'nope', platform: 'tv' });
  expect(bad.status).toBe(400);
  expect(Object.keys(bad.body.fields).sort()).toEqual(['platform', 'tenant_id']);
  const other = await connectedTenant(t);
  const noIdp = await exchange(token, { tenant_id: other.tenantId, platform: 'web' });
  expect(noIdp.status).toBe(409);
  expect(noIdp.body.message).toMatch(/identity provider/);
});

test('identity provider settings are validated field by field', async () => {
  const res = await tenant.admin.put(`/api/tenants/${tenant.tenantId}/intercom/identity-provider`, {
    issuer: '',
    jwksUrl: 'http://idp.example/jwks',
    audience: 'x',
    allowedOrigins: ['https://ok.example', 'https://bad.example/path'],
  });
  expect(res.status).toBe(400);
  expect(Object.keys(res.body.fields).sort()).toEqual(['allowedOrigins', 'issuer', 'jwksUrl']);
  const stored = await tenant.admin.get(`/api/tenants/${tenant.tenantId}/intercom/identity-provider`);
  expect(stored.body.jwksUrl).toBe(jwksUrl);
});

test('the exchange endpoint has a per-tenant budget too', async () => {
  const limited = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '2' });
  try {
    const call = async () =>
      limited
        .client(APP_ORIGIN)
        .post(
          '/v1/intercom/token/exchange',
          { tenant_id: tenant.tenantId, platform: 'web' },
          { authorization: `Bearer ${await idToken()}` },
        );
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const third = await call();
    expect(third.status).toBe(429);
    expect(third.body.message).toMatch(/token exchange reached its limit of 2/);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  } finally {
    await limited.close();
  }
});

test('allow-listed attributes come from the ID token, never from the browser body (decision 0043)', async () => {
  const fromBody = await exchange(await idToken(), {
    tenant_id: tenant.tenantId,
    platform: 'web',
    custom_attributes: { plan: 'enterprise' },
  });
  expect(fromBody.status).toBe(400);
  expect(fromBody.body.fields.custom_attributes[0]).toMatch(/cannot come from the browser/);

  const set = await tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, {
    customAttributes: [
      { name: 'plan', type: 'string' },
      { name: 'seats', type: 'number' },
    ],
  });
  expect(set.status).toBe(200);
  let res = await exchange(await idToken({ plan: 'pro', seats: 3, groups: ['admin'] }));
  for (let i = 0; i < 20 && !verifyHs256(res.body.token, tenant.secret)?.payload.plan; i++) {
    await new Promise((r) => setTimeout(r, 100));
    res = await exchange(await idToken({ plan: 'pro', seats: 3, groups: ['admin'] }));
  }
  const payload = verifyHs256(res.body.token, tenant.secret)!.payload;
  expect(payload).toMatchObject({ user_id: 'user-1001', plan: 'pro', seats: 3 });
  expect(payload).not.toHaveProperty('groups');

  const wrongType = await exchange(await idToken({ seats: 'three' }));
  expect(wrongType.status).toBe(400);
  expect(Object.keys(wrongType.body.fields)).toEqual(['custom_attributes.seats']);
});
