import { totpCodeAt } from '../src/auth/totp';
import { Client, startTestApp, TestApp } from './harness';
import { IntercomStandIn } from './intercom-stand-in';
import { SoftAuthenticator } from './webauthn-authenticator';
import { awayFromTotpStepEdge } from './totp-step-edge';

// Codes are computed here and judged by the server a moment later: keep both in one TOTP step.
beforeEach(() => awayFromTotpStepEdge());

const intercom = new IntercomStandIn();
let t: TestApp;
beforeAll(async () => {
  await intercom.start();
  t = await startTestApp({
    INTERCOM_API_URL: intercom.url,
    INTERCOM_TIMEOUT_MS: '500',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '20',
  });
});
afterAll(async () => {
  await t.close();
  await intercom.stop();
});

const STEP = 30_000;
const SECRET_KEY = 'sk_step_up_0123456789abcdef';

type Account = { client: Client; email: string; password: string; tenantId: string; userId: string };

async function account(): Promise<Account> {
  const tenant = await t.newTenant(`su-${Math.random().toString(36).slice(2, 8)}`);
  const a = await t.newTenantAdmin(tenant.id);
  const rows: Array<{ id: string }> = await t.db.query(`SELECT id FROM users WHERE email = $1`, [a.email]);
  return { ...a, tenantId: tenant.id, userId: rows[0]!.id };
}

/** TOTP on, enabled with the previous step so the current' codes are still unused. */
async function withTotp(a: Account): Promise<string> {
  const setup = await a.client.post('/api/auth/mfa/totp/setup');
  const secret = setup.body.secret as string;
  await awayFromTotpStepEdge();
  expect(
    (await a.client.post('/api/auth/mfa/totp/enable', { code: totpCodeAt(secret, Date.now() - STEP) })).status,
  ).toBe(200);
  return secret;
}

/** Makes the session's last second factor `minutes` old, as if that much time had passed. */
const age = (a: Account, minutes: number) =>
  t.db.query(`UPDATE sessions SET mfa_at = now() - $2 * interval '1 minute' WHERE user_id = $1`, [a.userId, minutes]);

const workspaces = new Map<string, object>();
/** One Intercom workspace per tenant: connecting again to the same one succeeds. */
const workspaceOf = (a: Account) => {
  if (!workspaces.has(a.tenantId)) {
    workspaces.set(a.tenantId, {
      id_code: `ws${workspaces.size}${Date.now().toString(36)}`,
      name: 'Acme',
      region: 'US',
      identity_verification: true,
    });
  }
  return workspaces.get(a.tenantId) as Parameters<IntercomStandIn['issue']>[0];
};

/** Each guarded action, done by `a` on its own tenant; answers the HTTP status. */
const ACTIONS: Record<string, (a: Account) => Promise<{ status: number; body: any }>> = {
  'PUT intercom/secret': (a) => a.client.put(`/api/tenants/${a.tenantId}/intercom/secret`, { secret: SECRET_KEY }),
  'POST api-keys': (a) => a.client.post(`/api/tenants/${a.tenantId}/api-keys`, { name: 'backend' }),
  'PUT intercom/connection': (a) =>
    a.client.put(`/api/tenants/${a.tenantId}/intercom/connection`, { accessToken: intercom.issue(workspaceOf(a)) }),
};
const OK: Record<string, number> = { 'PUT intercom/secret': 201, 'POST api-keys': 201, 'PUT intercom/connection': 200 };

describe.each(Object.keys(ACTIONS))('%s asks for a recent second factor', (name) => {
  const act = ACTIONS[name]!;

  test('403 step_up_required when the last factor is over 10 minutes old; a code refreshes it; it expires again', async () => {
    const a = await account();
    const secret = await withTotp(a);
    await age(a, 11);
    const refused = await act(a);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('step_up_required');
    expect(refused.body.message).toMatch(/POST \/api\/auth\/step-up/);

    const wrong = await a.client.post('/api/auth/step-up', { code: '000000' });
    expect(wrong.status).toBe(401);
    expect((await act(a)).status).toBe(403);

    const stepped = await a.client.post('/api/auth/step-up', { code: totpCodeAt(secret, Date.now()) });
    expect(stepped.status).toBe(200);
    expect(Date.parse(stepped.body.freshUntil)).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect((await act(a)).status).toBe(OK[name]);

    await age(a, 9);
    expect((await act(a)).status).toBe(OK[name]);
    await age(a, 10.5);
    expect((await act(a)).body.code).toBe('step_up_required');
  });
});

describe('step-up', () => {
  test('an account without MFA is not asked (the tenant policy and REQUIRE_STAFF_MFA decide that)', async () => {
    const a = await account();
    for (const name of Object.keys(ACTIONS)) expect((await ACTIONS[name]!(a)).status).toBe(OK[name]);
  });

  test('signing in with a code counts as a recent factor', async () => {
    const a = await account();
    const secret = await withTotp(a);
    const c = t.client();
    await c.post('/api/auth/login', { email: a.email, password: a.password });
    expect((await c.post('/api/auth/mfa/verify', { code: totpCodeAt(secret, Date.now()) })).status).toBe(200);
    const fresh = { ...a, client: c };
    expect((await ACTIONS['POST api-keys']!(fresh)).status).toBe(201);
  });

  test('a passkey refreshes it; an assertion for another session does not', async () => {
    const a = await account();
    const key = new SoftAuthenticator(t.url);
    const reg = await a.client.post('/api/auth/passkeys/registration-options');
    expect((await a.client.post('/api/auth/passkeys', { response: key.register(reg.body) })).status).toBe(201);
    await age(a, 11);
    expect((await ACTIONS['POST api-keys']!(a)).status).toBe(403);

    // A second session of the same account asks for options; its assertion is no good here.
    const other = t.client();
    await other.post('/api/auth/login', { email: a.email, password: a.password });
    const pending = await other.post('/api/auth/mfa/verify/passkey/options');
    expect(
      (await other.post('/api/auth/mfa/verify/passkey', { response: key.authenticate(pending.body) })).status,
    ).toBe(200);
    const otherOptions = await other.post('/api/auth/step-up/passkey/options');
    const stolen = await a.client.post('/api/auth/step-up/passkey', { response: key.authenticate(otherOptions.body) });
    expect(stolen.status).toBe(401);
    expect(stolen.body.code).toBe('passkey_rejected');
    expect((await ACTIONS['POST api-keys']!(a)).status).toBe(403);

    const options = await a.client.post('/api/auth/step-up/passkey/options');
    expect(options.status).toBe(200);
    const ok = await a.client.post('/api/auth/step-up/passkey', { response: key.authenticate(options.body) });
    expect(ok.status).toBe(200);
    expect((await ACTIONS['POST api-keys']!(a)).status).toBe(201);
    const audit: Array<{ action: string }> = await t.db.query(
      `SELECT action FROM audit_events WHERE actor_email = $1 AND action = 'auth.step_up.succeeded'`,
      [a.email],
    );
    expect(audit).toHaveLength(1);
  });

  test('removing a passkey and adding another need a recent factor once MFA is on', async () => {
    const a = await account();
    const key = new SoftAuthenticator(t.url);
    const reg = await a.client.post('/api/auth/passkeys/registration-options');
    await a.client.post('/api/auth/passkeys', { response: key.register(reg.body) });
    await age(a, 11);
    const id = (await a.client.get('/api/auth/passkeys')).body.items[0].id;
    expect((await a.client.delete(`/api/auth/passkeys/${id}`)).body.code).toBe('step_up_required');
    expect((await a.client.post('/api/auth/passkeys/registration-options')).body.code).toBe('step_up_required');
  });

  test('staff editing a tenant and resetting MFA need it too', async () => {
    const a = await account();
    await t.db.query(`UPDATE users SET is_staff = true WHERE id = $1`, [a.userId]);
    // A privilege change ends the account's sessions: sign in again, as staff now.
    a.client = t.client();
    expect((await a.client.post('/api/auth/login', { email: a.email, password: a.password })).status).toBe(200);
    const secret = await withTotp(a);
    await age(a, 11);
    const edit = await a.client.patch(`/api/tenants/${a.tenantId}`, { name: 'Renamed by staff' });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe('step_up_required');
    const victim = await account();
    expect((await a.client.delete(`/api/staff/users/${victim.userId}/mfa`)).body.code).toBe('step_up_required');
    expect((await a.client.post('/api/auth/step-up', { code: totpCodeAt(secret, Date.now()) })).status).toBe(200);
    expect((await a.client.patch(`/api/tenants/${a.tenantId}`, { name: 'Renamed by staff' })).status).toBe(200);
    expect((await a.client.delete(`/api/staff/users/${victim.userId}/mfa`)).status).toBe(200);
  });

  test('step-up without MFA is a 409 naming the fix', async () => {
    const a = await account();
    const res = await a.client.post('/api/auth/step-up', { code: '123456' });
    expect(res.status).toBe(409);
  });
});
