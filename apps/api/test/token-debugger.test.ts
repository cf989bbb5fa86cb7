import { startTestApp, TestApp } from './harness';
import { connectedTenant, randomSecret, signHs256, type ConnectedTenant } from './token-fixtures';

let t: TestApp;
let tenant: ConnectedTenant;
beforeAll(async () => {
  t = await startTestApp();
  tenant = await connectedTenant(t, { ttl: 3600 });
});
afterAll(async () => {
  await t.close();
});

const debug = (token: string) => tenant.admin.post(`/api/tenants/${tenant.tenantId}/intercom/debug-token`, { token });
const now = () => Math.floor(Date.now() / 1000);
const codes = (body: { problems: Array<{ code: string }> }) => body.problems.map((p) => p.code).sort();
const warningCodes = (body: { warnings: Array<{ code: string }> }) => body.warnings.map((w) => w.code).sort();

test('a token from test-token is valid in the debugger', async () => {
  const issued = await tenant.admin.post(`/api/tenants/${tenant.tenantId}/intercom/test-token`, {
    user_id: 'u-1',
    platform: 'web',
  });
  expect(issued.status).toBe(200);
  expect(issued.body).toMatchObject({ mode: 'jwt', appId: tenant.appId, keyVersion: 1 });
  const res = await debug(issued.body.token);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ valid: true, problems: [], warnings: [], keyVersion: 1, header: { alg: 'HS256' } });
  expect(res.body.payload.user_id).toBe('u-1');
});

test('a token signed with another key is flagged as a bad signature', async () => {
  const forged = signHs256(
    { alg: 'HS256', typ: 'JWT' },
    { user_id: 'u-1', iat: now(), exp: now() + 600 },
    randomSecret(),
  );
  const res = await debug(forged);
  expect(res.body.valid).toBe(false);
  expect(codes(res.body)).toEqual(['bad_signature']);
  expect(res.body.keyVersion).toBeNull();
  expect(res.body.payload.user_id).toBe('u-1');
});

test('alg none, expired and email as user_id are each explained', async () => {
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ user_id: 'u', iat: now(), exp: now() + 60 })).toString('base64url')}.`;
  expect(codes((await debug(none)).body)).toContain('alg_not_hs256');
  const expired = signHs256(
    { alg: 'HS256', typ: 'JWT' },
    { user_id: 'u', iat: now() - 7200, exp: now() - 3600 },
    tenant.secret,
  );
  expect(codes((await debug(expired)).body)).toEqual(['expired']);
  const email = signHs256(
    { alg: 'HS256', typ: 'JWT' },
    { user_id: 'ada@example.com', iat: now(), exp: now() + 60 },
    tenant.secret,
  );
  const emailResult = (await debug(email)).body;
  expect(codes(emailResult)).toEqual(['user_id_looks_like_email']);
  expect(emailResult.problems[0].message).toMatch(/user_id/);
  const garbage = await debug('not a jwt at all');
  expect(garbage.status).toBe(200);
  expect(codes(garbage.body)).toEqual(['malformed']);
});

// Intercom accepts both, so the debugger must not call them invalid: they are warnings.
test('no exp, or a lifetime over the tenant policy (1 hour): valid, with a warning each', async () => {
  const long = signHs256(
    { alg: 'HS256', typ: 'JWT' },
    { user_id: 'u', iat: now(), exp: now() + 7 * 86400 },
    tenant.secret,
  );
  const longResult = (await debug(long)).body;
  expect(longResult).toMatchObject({ valid: true, problems: [], keyVersion: 1 });
  expect(warningCodes(longResult)).toEqual(['lifetime_exceeds_policy']);
  expect(longResult.warnings[0].message).toMatch(/lives 7 days.*limit of 1 hour\. Intercom accepts it/);

  const forever = signHs256({ alg: 'HS256', typ: 'JWT' }, { user_id: 'u', iat: now() }, tenant.secret);
  const foreverResult = (await debug(forever)).body;
  expect(foreverResult).toMatchObject({ valid: true, problems: [], keyVersion: 1 });
  expect(warningCodes(foreverResult)).toEqual(['missing_exp']);
  expect(foreverResult.warnings[0].message).toMatch(/no exp.*Intercom accepts it/);

  // A warning never hides a problem: an expired token is still invalid.
  const expiredAndLong = signHs256(
    { alg: 'HS256', typ: 'JWT' },
    { user_id: 'u', iat: now() - 90_000, exp: now() - 60 },
    tenant.secret,
  );
  const both = (await debug(expiredAndLong)).body;
  expect(both.valid).toBe(false);
  expect(codes(both)).toEqual(['expired']);
  expect(warningCodes(both)).toEqual(['lifetime_exceeds_policy']);
});

test('the debugger never echoes the secret', async () => {
  const res = await debug(signHs256({ alg: 'HS256' }, { user_id: 'u' }, randomSecret()));
  expect(JSON.stringify(res.body)).not.toContain(tenant.secret);
});

test('an email user_id is invalid by default, and a warning once the tenant allows email user ids', async () => {
  const other = await connectedTenant(t);
  const token = signHs256(
    { alg: 'HS256', typ: 'JWT' },
    { user_id: 'ada@example.com', iat: now(), exp: now() + 600 },
    other.secret,
  );
  const check = () => other.admin.post(`/api/tenants/${other.tenantId}/intercom/debug-token`, { token });
  const before = await check();
  expect(before.body.valid).toBe(false);
  expect(codes(before.body)).toEqual(['user_id_looks_like_email']);
  const on = await other.admin.patch(`/api/tenants/${other.tenantId}/intercom/settings`, { allowEmailUserIds: true });
  expect(on.status).toBe(200);
  let after = await check();
  for (let i = 0; i < 20 && !after.body.valid; i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = await check();
  }
  expect(after.body).toMatchObject({ valid: true, problems: [] });
  expect(warningCodes(after.body)).toEqual(['user_id_is_email']);
});
