import { totpCodeAt } from '../src/auth/totp';
import { Client, STAFF_EMAIL, startTestApp, TestApp } from './harness';
import { awayFromTotpStepEdge } from './totp-step-edge';

// Codes are computed here and judged by the server a moment later: keep both in one TOTP step.
beforeEach(() => awayFromTotpStepEdge());

const STEP = 30_000;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_LOCKOUT_SECONDS: '60' });
});
afterAll(async () => {
  await t.close();
});

const code = (secret: string, offsetSteps = 0) => totpCodeAt(secret, Date.now() + offsetSteps * STEP);

/** A tenant admin with TOTP on (enabled with the previous step's code, so the current one is still unused). */
async function enrolledAdmin() {
  const tenant = await t.newTenant(`mfa-${Math.random().toString(36).slice(2, 8)}`);
  const admin = await t.newTenantAdmin(tenant.id);
  const setup = await admin.client.post('/api/auth/mfa/totp/setup');
  expect(setup.status).toBe(200);
  const { secret, otpauthUrl } = setup.body as { secret: string; otpauthUrl: string };
  expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
  expect(otpauthUrl).toContain(`secret=${secret}`);
  expect(otpauthUrl).toMatch(/algorithm=SHA1&digits=6&period=30/);
  await awayFromTotpStepEdge();
  const enable = await admin.client.post('/api/auth/mfa/totp/enable', { code: code(secret, -1) });
  expect(enable.status).toBe(200);
  const recoveryCodes = (enable.body as { recoveryCodes: string[] }).recoveryCodes;
  return { ...admin, tenant, secret, recoveryCodes };
}

async function passwordStep(email: string, password: string): Promise<Client> {
  const c = t.client();
  const res = await c.post('/api/auth/login', { email, password });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ mfaRequired: true, methods: ['totp'] });
  return c;
}

describe('TOTP enrolment and sign-in', () => {
  test('enrol, then sign-in answers {mfaRequired} without a session, and a code completes it', async () => {
    const a = await enrolledAdmin();
    expect(a.recoveryCodes).toHaveLength(10);
    expect(new Set(a.recoveryCodes).size).toBe(10);
    const me = await a.client.get('/api/auth/me');
    expect(me.body.mfaEnabled).toBe(true);

    const c = t.client();
    const login = await c.post('/api/auth/login', { email: a.email, password: a.password });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ mfaRequired: true, methods: ['totp'] });
    const cookies = login.headers.getSetCookie();
    expect(cookies.some((h) => h.startsWith('mv_session='))).toBe(false);
    const pending = cookies.find((h) => h.startsWith('mv_mfa_pending='))!;
    expect(pending).toMatch(/Path=\/api\/auth\/mfa\/verify/);
    expect(pending).toMatch(/HttpOnly/i);
    expect(pending).toMatch(/SameSite=Strict/i);
    expect((await c.get('/api/auth/me')).status).toBe(401);

    const verify = await c.post('/api/auth/mfa/verify', { code: code(a.secret) });
    expect(verify.status).toBe(200);
    expect(verify.body.email).toBe(a.email);
    expect((await c.get('/api/auth/me')).status).toBe(200);
    expect((await c.get(`/api/tenants/${a.tenant.id}`)).status).toBe(200);
  });

  test('a code is never accepted twice, and an older one is refused after a newer one', async () => {
    const a = await enrolledAdmin();
    const current = code(a.secret);
    const first = await passwordStep(a.email, a.password);
    expect((await first.post('/api/auth/mfa/verify', { code: current })).status).toBe(200);
    const again = await passwordStep(a.email, a.password);
    const replay = await again.post('/api/auth/mfa/verify', { code: current });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('mfa_code_invalid');
    // The previous step's code is inside the window, but older than the one used.
    expect((await again.post('/api/auth/mfa/verify', { code: code(a.secret, -1) })).status).toBe(401);
    expect((await again.post('/api/auth/mfa/verify', { code: code(a.secret, 1) })).status).toBe(200);
  });

  test('the same code sent on two pending sign-ins at once completes exactly one', async () => {
    const a = await enrolledAdmin();
    const [one, two] = [await passwordStep(a.email, a.password), await passwordStep(a.email, a.password)];
    const current = code(a.secret);
    const answers = await Promise.all([one, two].map((c) => c.post('/api/auth/mfa/verify', { code: current })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  test('a sealed secret copied onto another account does not open there: 409 naming the fix, never 500', async () => {
    const a = await enrolledAdmin();
    const b = await enrolledAdmin();
    await t.db.query(
      `UPDATE user_totp v SET ciphertext = s.ciphertext, iv = s.iv, wrapped_key = s.wrapped_key
         FROM user_totp s, users ua, users ub
        WHERE ua.email = $1 AND ub.email = $2 AND s.user_id = ua.id AND v.user_id = ub.id`,
      [a.email, b.email],
    );
    const c = await passwordStep(b.email, b.password);
    const res = await c.post('/api/auth/mfa/verify', { code: code(a.secret) });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/recovery code|reset/);
    expect((await c.post('/api/auth/mfa/verify', { code: b.recoveryCodes[0]! })).status).toBe(200);
  });

  test('±1 step window: two steps away is refused, one step either side is accepted', async () => {
    const tenant = await t.newTenant('mfa-window');
    const admin = await t.newTenantAdmin(tenant.id);
    const { secret } = (await admin.client.post('/api/auth/mfa/totp/setup')).body as { secret: string };
    expect((await admin.client.post('/api/auth/mfa/totp/enable', { code: code(secret, -2) })).status).toBe(401);
    expect((await admin.client.post('/api/auth/mfa/totp/enable', { code: code(secret, 2) })).status).toBe(401);
    expect((await admin.client.post('/api/auth/mfa/totp/enable', { code: code(secret, -1) })).status).toBe(200);
    const c = await passwordStep(admin.email, admin.password);
    expect((await c.post('/api/auth/mfa/verify', { code: code(secret, 2) })).status).toBe(401);
    expect((await c.post('/api/auth/mfa/verify', { code: code(secret, 1) })).status).toBe(200);
  });

  test('a recovery code signs in once, in any spelling, and never again', async () => {
    const a = await enrolledAdmin();
    const recovery = a.recoveryCodes[3]!;
    const c = await passwordStep(a.email, a.password);
    const ok = await c.post('/api/auth/mfa/verify', { code: ` ${recovery.toUpperCase().replace('-', '')} ` });
    expect(ok.status).toBe(200);
    const again = await passwordStep(a.email, a.password);
    expect((await again.post('/api/auth/mfa/verify', { code: recovery })).status).toBe(401);
    expect((await again.post('/api/auth/mfa/verify', { code: a.recoveryCodes[4]! })).status).toBe(200);
    const stored: Array<{ code_hash: Buffer }> = await t.db.query(
      `SELECT r.code_hash FROM mfa_recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = $1`,
      [a.email],
    );
    expect(stored).toHaveLength(10);
    for (const r of stored) for (const rc of a.recoveryCodes) expect(r.code_hash.toString('latin1')).not.toContain(rc);
  });

  test('wrong codes count against the password throttle, atomically, and a correct password does not reset it', async () => {
    const a = await enrolledAdmin();
    // Password (1) + wrong code (2), again: a known password buys no fresh budget.
    let c = await passwordStep(a.email, a.password);
    expect((await c.post('/api/auth/mfa/verify', { code: '000000' })).status).toBe(401);
    c = await passwordStep(a.email, a.password);
    // Limit 5: 4 counted so far would be 3 + this burst; at most one more reaches the check.
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => c.post('/api/auth/mfa/verify', { code: String(100000 + i) })),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(2);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const locked = await c.post('/api/auth/mfa/verify', { code: code(a.secret) });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const failures: Array<{ n: string }> = await t.db.query(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'auth.mfa.failed' AND actor_email = $1`,
      [a.email],
    );
    expect(Number(failures[0]!.n)).toBeGreaterThanOrEqual(2);
  });

  test('the pending sign-in cookie reaches no route but verify, and is single-use', async () => {
    const a = await enrolledAdmin();
    const c = await passwordStep(a.email, a.password);
    const pending = c.cookieHeader.match(/mv_mfa_pending=([^;]+)/)![1]!;
    for (const path of ['/api/auth/me', `/api/tenants/${a.tenant.id}`, '/api/tenants', '/api/audit']) {
      expect((await c.get(path)).status).toBe(401);
      const forged = new Client(t.url);
      forged.setCookie('mv_session', pending);
      expect((await forged.get(path)).status).toBe(401);
    }
    expect((await c.post('/api/auth/mfa/totp/setup')).status).toBe(401);
    expect((await c.request('DELETE', '/api/auth/mfa/totp', { code: code(a.secret) })).status).toBe(401);
    expect((await c.post('/api/auth/mfa/verify', { code: code(a.secret) })).status).toBe(200);
    const reuse = new Client(t.url);
    reuse.setCookie('mv_mfa_pending', pending);
    const again = await reuse.post('/api/auth/mfa/verify', { code: code(a.secret, 1) });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('unauthenticated');
    expect((await t.client().post('/api/auth/mfa/verify', { code: '123456' })).status).toBe(401);
  });

  test('enabling ends the other sessions, and disabling needs a current code and ends them again', async () => {
    const tenant = await t.newTenant('mfa-sessions');
    const admin = await t.newTenantAdmin(tenant.id);
    const other = t.client();
    expect((await other.post('/api/auth/login', { email: admin.email, password: admin.password })).status).toBe(200);
    const { secret } = (await admin.client.post('/api/auth/mfa/totp/setup')).body as { secret: string };
    expect((await admin.client.post('/api/auth/mfa/totp/enable', { code: code(secret, -1) })).status).toBe(200);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect((await admin.client.get('/api/auth/me')).status).toBe(200);

    const second = await passwordStep(admin.email, admin.password);
    expect((await second.post('/api/auth/mfa/verify', { code: code(secret) })).status).toBe(200);
    const wrong = await admin.client.request('DELETE', '/api/auth/mfa/totp', { code: '000000' });
    expect(wrong.status).toBe(401);
    expect((await admin.client.request('DELETE', '/api/auth/mfa/totp', { code: code(secret, 1) })).status).toBe(200);
    expect((await second.get('/api/auth/me')).status).toBe(401);
    const plain = await t.client().post('/api/auth/login', { email: admin.email, password: admin.password });
    expect(plain.status).toBe(200);
    expect(plain.body.email).toBe(admin.email);
  });

  test('TOTP removed by any code path (here plain SQL) ends every session of the account', async () => {
    const a = await enrolledAdmin();
    expect((await a.client.get('/api/auth/me')).status).toBe(200);
    await t.db.query(`DELETE FROM user_totp WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [a.email]);
    expect((await a.client.get('/api/auth/me')).status).toBe(401);
  });

  test('bad input is a clear 400, a second setup while on is a 409', async () => {
    const a = await enrolledAdmin();
    const bad = await a.client.post('/api/auth/mfa/totp/enable', { code: 12 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/code must be/);
    const again = await a.client.post('/api/auth/mfa/totp/setup');
    expect(again.status).toBe(409);
  });

  test('tenant isolation is unaffected: a signed-in-with-code admin still cannot reach another tenant', async () => {
    const a = await enrolledAdmin();
    const other = await t.newTenant('mfa-other');
    const c = await passwordStep(a.email, a.password);
    expect((await c.post('/api/auth/mfa/verify', { code: code(a.secret) })).status).toBe(200);
    expect((await c.get(`/api/tenants/${a.tenant.id}`)).status).toBe(200);
    expect((await c.get(`/api/tenants/${other.id}`)).status).toBe(404);
    expect((await c.get('/api/staff/integrations')).status).toBe(403);
  });

  test('the secret and the recovery codes appear in no response after setup, no log line and no audit row (canary)', async () => {
    const tenant = await t.newTenant('mfa-canary');
    const admin = await t.newTenantAdmin(tenant.id);
    const { secret } = (await admin.client.post('/api/auth/mfa/totp/setup')).body as { secret: string };
    const bodies: string[] = [];
    const enable = await admin.client.post('/api/auth/mfa/totp/enable', { code: code(secret, -1) });
    const recovery = (enable.body as { recoveryCodes: string[] }).recoveryCodes;
    bodies.push(JSON.stringify((await admin.client.get('/api/auth/me')).body));
    const c = await passwordStep(admin.email, admin.password);
    bodies.push(JSON.stringify((await c.post('/api/auth/mfa/verify', { code: '999999' })).body));
    bodies.push(JSON.stringify((await c.post('/api/auth/mfa/verify', { code: recovery[0]! })).body));
    bodies.push(JSON.stringify((await c.get(`/api/tenants/${tenant.id}/audit`)).body));
    const staff = await t.staff();
    // This account's and this tenant's events as staff read them: the first page of the whole
    // trail would hold other test files' events instead, once they have written 200.
    const adminId = (await admin.client.get('/api/auth/me')).body.id as string;
    const asStaff = [`actor=${adminId}`, `tenantId=${tenant.id}`].map((f) => staff.get(`/api/audit?${f}&limit=200`));
    const [byActor, byTenant] = await Promise.all(asStaff);
    expect(JSON.stringify(byActor!.body)).toContain('auth.mfa.enabled');
    bodies.push(JSON.stringify(byActor!.body), JSON.stringify(byTenant!.body));
    const audit: Array<{ row: string }> = await t.db.query(`SELECT row_to_json(a)::text AS row FROM audit_events a`);
    const sealed: Array<{ ciphertext: Buffer }> = await t.db.query(
      `SELECT t.ciphertext FROM user_totp t JOIN users u ON u.id = t.user_id WHERE u.email = $1`,
      [admin.email],
    );
    const haystack = [...bodies, ...t.logs, ...audit.map((a) => a.row), sealed[0]!.ciphertext.toString('latin1')].join(
      '\n',
    );
    expect(haystack).toContain('auth.mfa.enabled');
    expect(haystack).not.toContain(secret);
    for (const rc of recovery) {
      expect(haystack).not.toContain(rc);
      expect(haystack).not.toContain(rc.replace('-', ''));
    }
  });
});

describe('staff', () => {
  test('staff reset another account’s TOTP, audited, ending its sessions; a tenant admin cannot', async () => {
    const a = await enrolledAdmin();
    const user: Array<{ id: string }> = await t.db.query(`SELECT id FROM users WHERE email = $1`, [a.email]);
    const userId = user[0]!.id;
    expect((await a.client.request('DELETE', `/api/staff/users/${userId}/mfa`)).status).toBe(403);
    const staff = await t.staff();
    expect((await staff.request('DELETE', `/api/staff/users/00000000-0000-4000-8000-000000000000/mfa`)).status).toBe(
      404,
    );
    expect((await staff.request('DELETE', `/api/staff/users/not-a-uuid/mfa`)).status).toBe(404);
    const reset = await staff.request('DELETE', `/api/staff/users/${userId}/mfa`);
    expect(reset.status).toBe(200);
    expect((await a.client.get('/api/auth/me')).status).toBe(401);
    const login = await t.client().post('/api/auth/login', { email: a.email, password: a.password });
    expect(login.body.email).toBe(a.email);
    const audit: Array<{ actor_email: string }> = await t.db.query(
      `SELECT actor_email FROM audit_events WHERE action = 'auth.mfa.reset' AND target_id = $1`,
      [userId],
    );
    expect(audit.map((r) => r.actor_email)).toEqual([STAFF_EMAIL]);
  });

  test('REQUIRE_STAFF_MFA: staff reach only enrolment until TOTP is on; tenant admins are unaffected', async () => {
    const tenant = await t.newTenant('mfa-strict');
    const admin = await t.newTenantAdmin(tenant.id);
    // A staff account of this test's own: turning TOTP on (and off again) for the shared one would
    // end the staff sessions of every test file running alongside, and ask them all for a code.
    const ops = await t.newStaff();
    const strict = await startTestApp({ REQUIRE_STAFF_MFA: 'true' });
    try {
      const adminClient = strict.client();
      expect((await adminClient.post('/api/auth/login', { email: admin.email, password: admin.password })).status).toBe(
        200,
      );
      expect((await adminClient.get(`/api/tenants/${tenant.id}`)).status).toBe(200);

      const staff = strict.client();
      expect((await staff.post('/api/auth/login', { email: ops.email, password: ops.password })).status).toBe(200);
      const blocked = await staff.get('/api/tenants');
      expect(blocked.status).toBe(403);
      expect(blocked.body.code).toBe('mfa_enrolment_required');
      expect((await staff.get('/api/staff/integrations')).status).toBe(403);
      const me = await staff.get('/api/auth/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ mfaEnabled: false, mfaEnrolmentRequired: true });
      const { secret } = (await staff.post('/api/auth/mfa/totp/setup')).body as { secret: string };
      expect((await staff.post('/api/auth/mfa/totp/enable', { code: code(secret, -1) })).status).toBe(200);
      expect((await staff.get('/api/tenants')).status).toBe(200);
      expect((await staff.get('/api/auth/me')).body).toMatchObject({ mfaEnabled: true, mfaEnrolmentRequired: false });
    } finally {
      await strict.close();
    }
  });
});
