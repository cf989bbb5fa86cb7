import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { startTestApp, type TestApp } from './harness';
import { connectedTenant, type ConnectedTenant } from './token-fixtures';

// Issue 11, finding 7: anonymous junk must never lock a tenant's real users out.
let t: TestApp;
let jwks: Server;
let idpKey: CryptoKey;
let tenant: ConnectedTenant;
const ISSUER = 'https://idp.acme.test/';
const AUDIENCE = 'acme-web';
const FAILURES_PER_IP = 30;

beforeAll(async () => {
  t = await startTestApp({
    TOKEN_RATE_LIMIT_PER_MINUTE: '600',
    EXCHANGE_FAILURES_PER_IP_PER_MINUTE: String(FAILURES_PER_IP),
  });
  const pair = await generateKeyPair('RS256');
  idpKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
  jwks = createServer((_req, res) => res.writeHead(200).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  tenant = await connectedTenant(t);
  const res = await tenant.admin.put(`/api/tenants/${tenant.tenantId}/intercom/identity-provider`, {
    issuer: ISSUER,
    jwksUrl: `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`,
    audience: AUDIENCE,
  });
  expect(res.status).toBe(200);
}, 60_000);
afterAll(async () => {
  jwks.close();
  await t.close();
});

/** POSTs from a chosen loopback address: 127.0.0.2 is another client as far as the server can tell. */
function postFrom(agent: Agent, body: unknown, authorization: string) {
  const url = new URL('/v1/intercom/token/exchange', t.url);
  const payload = JSON.stringify(body);
  return new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization, 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const realIdToken = () =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
    .setSubject('real-user')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(idpKey);

test("650 junk exchanges from one address neither spend the tenant's budget nor block a real user", async () => {
  const attacker = new Agent({ keepAlive: true, localAddress: '127.0.0.2' } as ConstructorParameters<typeof Agent>[0]);
  const statuses: Record<number, number> = {};
  let retryAfter: string | undefined;
  for (let batch = 0; batch < 65; batch++) {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        // Forged ID tokens for the real tenant (the lockout), and now and then a random tenant id.
        const body = { tenant_id: i === 9 && batch % 5 === 0 ? randomUUID() : tenant.tenantId, platform: 'web' };
        return postFrom(attacker, body, `Bearer ${randomBytes(20).toString('base64url')}.e30.sig`);
      }),
    );
    for (const r of results) {
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 429) retryAfter = r.retryAfter;
    }
  }
  attacker.destroy();

  // The real user, from another address, still gets a token, and so do the next ones.
  const user = new Agent({ keepAlive: false, localAddress: '127.0.0.1' } as ConstructorParameters<typeof Agent>[0]);
  for (let i = 0; i < 3; i++) {
    const res = await postFrom(user, { tenant_id: tenant.tenantId, platform: 'web' }, `Bearer ${await realIdToken()}`);
    expect({ attempt: i, status: res.status }).toEqual({ attempt: i, status: 200 });
  }

  // The attacker's own failures are capped; everything past the cap is 429 with Retry-After. The
  // cap is per clock minute, and a slow run can cross one minute boundary: at most two caps pass.
  expect(statuses[429]).toBeGreaterThanOrEqual(650 - 2 * FAILURES_PER_IP);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(Object.keys(statuses).filter((s) => !['401', '409', '429'].includes(s))).toEqual([]);
}, 60_000);
