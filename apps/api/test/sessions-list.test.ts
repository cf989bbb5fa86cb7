import { totpCodeAt } from '../src/auth/totp';
import { describeDevice } from '../src/auth/user-agent';
import { Client, startTestApp, TestApp } from './harness';
import { awayFromTotpStepEdge } from './totp-step-edge';

// Codes are computed here and judged by the server a moment later: keep both in one TOTP step.
beforeEach(() => awayFromTotpStepEdge());

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const cookieOf = (c: Client) => c.cookieHeader.match(/mv_session=([^;]+)/)![1]!;

/** The same account signed in again from another device. */
async function signIn(email: string, password: string, userAgent: string): Promise<Client> {
  const c = t.client();
  const res = await c.post('/api/auth/login', { email, password }, { 'user-agent': userAgent });
  expect(res.status).toBe(200);
  return c;
}

async function accountWithDevices() {
  const tenant = await t.newTenant();
  const admin = await t.newTenantAdmin(tenant.id);
  const laptop = await signIn(admin.email, admin.password, CHROME_MAC);
  const phone = await signIn(admin.email, admin.password, SAFARI_IPHONE);
  // The session the invitation gave is the third device.
  return { ...admin, tenant, laptop, phone, first: admin.client };
}

const signedIn = async (c: Client) => (await c.get('/api/auth/me')).status === 200;
const auditOf = (action: string, userId: string): Promise<Array<{ metadata: unknown; actor_user_id: string }>> =>
  t.db.query(`SELECT metadata, actor_user_id FROM audit_events WHERE action = $1 AND target_id = $2 ORDER BY seq`, [
    action,
    userId,
  ]);

describe('GET /api/auth/sessions', () => {
  test('lists the account’s own sessions: device, IP, times, how it signed in, which is this one; nothing secret', async () => {
    const a = await accountWithDevices();
    const other = await t.newTenantAdmin(a.tenant.id);
    const res = await a.laptop.get('/api/auth/sessions');
    expect(res.status).toBe(200);
    const sessions = res.body.sessions as Array<Record<string, any>>;
    expect(sessions).toHaveLength(3);
    const labels = sessions.map((s) => s.device.label).sort();
    expect(labels).toEqual(['Chrome 131 on macOS', 'Safari 17 on iOS 17.5', 'node'].sort());
    const current = sessions.filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]!.device).toEqual({ label: 'Chrome 131 on macOS', kind: 'desktop' });
    expect(sessions.find((s) => s.device.label.startsWith('Safari'))!.device.kind).toBe('mobile');
    for (const s of sessions) {
      expect(Object.keys(s).sort()).toEqual(
        ['createdAt', 'current', 'device', 'id', 'ip', 'lastSeenAt', 'signedInWith'].sort(),
      );
      expect(s.ip).toBe('127.0.0.1');
      expect(s.signedInWith).toBe('password');
      expect(new Date(s.lastSeenAt).getTime()).toBeGreaterThanOrEqual(new Date(s.createdAt).getTime());
    }
    const body = JSON.stringify(res.body);
    for (const c of [a.laptop, a.phone, a.first]) expect(body).not.toContain(cookieOf(c));
    // The other admin's sessions are not in the list; their own list holds only theirs.
    const theirs = (await other.client.get('/api/auth/sessions')).body.sessions as Array<{ id: string }>;
    expect(theirs).toHaveLength(1);
    expect(sessions.map((s) => s.id)).not.toContain(theirs[0]!.id);
    expect((await t.client().get('/api/auth/sessions')).status).toBe(401);
  });

  test('last seen is written at most once a minute, not on every request', async () => {
    const a = await accountWithDevices();
    const id = (await a.laptop.get('/api/auth/sessions')).body.sessions.find((s: any) => s.current).id;
    const seen = async () =>
      (await t.db.query(`SELECT last_seen_at FROM sessions WHERE id = $1`, [id]))[0].last_seen_at as Date;
    await t.db.query(`UPDATE sessions SET last_seen_at = now() - interval '30 seconds' WHERE id = $1`, [id]);
    const before = await seen();
    await a.laptop.get('/api/auth/me');
    expect((await seen()).getTime()).toBe(before.getTime());
    await t.db.query(`UPDATE sessions SET last_seen_at = now() - interval '2 minutes' WHERE id = $1`, [id]);
    await a.laptop.get('/api/auth/me');
    expect(Date.now() - (await seen()).getTime()).toBeLessThan(10_000);
  });
});

describe('signing out one session', () => {
  test('DELETE ends one of your own sessions at its next request; audited', async () => {
    const a = await accountWithDevices();
    const list = (await a.laptop.get('/api/auth/sessions')).body.sessions as Array<any>;
    const phone = list.find((s) => s.device.label.startsWith('Safari'));
    expect((await a.laptop.delete(`/api/auth/sessions/${phone.id}`)).status).toBe(204);
    expect(await signedIn(a.phone)).toBe(false);
    expect(await signedIn(a.laptop)).toBe(true);
    expect(await signedIn(a.first)).toBe(true);
    const userId = (await a.laptop.get('/api/auth/me')).body.id;
    expect((await auditOf('auth.session.ended', userId)).map((e) => e.metadata)).toEqual([{ current: false }]);
    // Gone is gone: a second DELETE is a 404.
    expect((await a.laptop.delete(`/api/auth/sessions/${phone.id}`)).status).toBe(404);
  });

  test('another account’s session is a 404, as is a malformed or unknown id, and nothing ends', async () => {
    const a = await accountWithDevices();
    const victim = await accountWithDevices();
    const victimSession = (await victim.phone.get('/api/auth/sessions')).body.sessions.find((s: any) => s.current);
    for (const id of [
      victimSession.id,
      victimSession.id.toUpperCase(),
      'not-a-uuid',
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const res = await a.laptop.delete(`/api/auth/sessions/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    expect(await signedIn(victim.phone)).toBe(true);
  });

  test('ending this session clears the cookie', async () => {
    const a = await accountWithDevices();
    const mine = (await a.laptop.get('/api/auth/sessions')).body.sessions.find((s: any) => s.current);
    const res = await a.laptop.delete(`/api/auth/sessions/${mine.id}`);
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().some((c) => /^mv_session=;/.test(c))).toBe(true);
    expect(await signedIn(a.laptop)).toBe(false);
    expect(await signedIn(a.phone)).toBe(true);
  });
});

describe('signing out everywhere else', () => {
  test('POST revoke-others ends every other session, keeps this one; audited', async () => {
    const a = await accountWithDevices();
    const colleague = await t.newTenantAdmin(a.tenant.id);
    const res = await a.laptop.post('/api/auth/sessions/revoke-others');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, ended: 2 });
    expect(await signedIn(a.laptop)).toBe(true);
    expect(await signedIn(a.phone)).toBe(false);
    expect(await signedIn(a.first)).toBe(false);
    expect(await signedIn(colleague.client)).toBe(true);
    const list = (await a.laptop.get('/api/auth/sessions')).body.sessions;
    expect(list).toHaveLength(1);
    const userId = (await a.laptop.get('/api/auth/me')).body.id;
    expect((await auditOf('auth.session.others_ended', userId)).map((e) => e.metadata)).toEqual([{ ended: 2 }]);
  });

  test('refused from a foreign origin like every mutating request', async () => {
    const a = await accountWithDevices();
    const evil = new Client(t.url, 'https://evil.example');
    evil.setCookie('mv_session', cookieOf(a.laptop));
    expect((await evil.post('/api/auth/sessions/revoke-others')).status).toBe(403);
    const mine = (await a.laptop.get('/api/auth/sessions')).body.sessions.find((s: any) => !s.current);
    expect((await evil.delete(`/api/auth/sessions/${mine.id}`)).status).toBe(403);
    expect(await signedIn(a.phone)).toBe(true);
  });
});

describe('privilege changes end the other sessions and change this one’s id', () => {
  test('changing the password: a wrong current one is a 401; the right one ends the others and renews this one', async () => {
    const a = await accountWithDevices();
    const wrong = await a.laptop.post('/api/auth/password', {
      currentPassword: 'not-my-password',
      newPassword: 'a-brand-new-password-1',
    });
    expect(wrong.status).toBe(401);
    expect(await signedIn(a.phone)).toBe(true);
    const short = await a.laptop.post('/api/auth/password', { currentPassword: a.password, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body.message)).toMatch(/newPassword must be at least 12 characters/);

    const before = cookieOf(a.laptop);
    const res = await a.laptop.post('/api/auth/password', {
      currentPassword: a.password,
      newPassword: 'a-brand-new-password-1',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, ended: 2 });
    expect(cookieOf(a.laptop)).not.toBe(before);
    expect(await signedIn(a.laptop)).toBe(true);
    const stale = t.client();
    stale.setCookie('mv_session', before);
    expect(await signedIn(stale)).toBe(false);
    expect(await signedIn(a.phone)).toBe(false);
    expect(await signedIn(a.first)).toBe(false);
    expect((await t.client().post('/api/auth/login', { email: a.email, password: a.password })).status).toBe(401);
    expect(await signedIn(await signIn(a.email, 'a-brand-new-password-1', CHROME_MAC))).toBe(true);
    const userId = (await a.laptop.get('/api/auth/me')).body.id;
    expect((await auditOf('auth.password.changed', userId)).map((e) => e.metadata)).toEqual([{ ended: 2 }]);
    const logs = t.logs.join('\n');
    expect(logs).not.toContain('a-brand-new-password-1');
  });

  test('turning two-factor sign-in on ends the other sessions and renews this one', async () => {
    const a = await accountWithDevices();
    const { secret } = (await a.laptop.post('/api/auth/mfa/totp/setup')).body;
    const before = cookieOf(a.laptop);
    const res = await a.laptop.post('/api/auth/mfa/totp/enable', {
      code: totpCodeAt(secret, Date.now() - 30_000),
    });
    expect(res.status).toBe(200);
    expect(cookieOf(a.laptop)).not.toBe(before);
    expect(await signedIn(a.laptop)).toBe(true);
    const stale = t.client();
    stale.setCookie('mv_session', before);
    expect(await signedIn(stale)).toBe(false);
    expect(await signedIn(a.phone)).toBe(false);
    // Still the same device in the list: one session, this one.
    const list = (await a.laptop.get('/api/auth/sessions')).body.sessions;
    expect(list).toHaveLength(1);
    expect(list[0].current).toBe(true);
  });
});

describe('new recovery codes', () => {
  test('take a current code, end the other sessions, and the old codes stop working; audited', async () => {
    const a = await accountWithDevices();
    const off = await a.laptop.post('/api/auth/mfa/recovery-codes', { code: '123456' });
    expect(off.status).toBe(409);
    const { secret } = (await a.laptop.post('/api/auth/mfa/totp/setup')).body;
    const enabled = await a.laptop.post('/api/auth/mfa/totp/enable', { code: totpCodeAt(secret, Date.now() - 30_000) });
    const oldCodes: string[] = enabled.body.recoveryCodes;
    // A second device signs in again with both factors.
    const phone = t.client();
    await phone.post('/api/auth/login', { email: a.email, password: a.password }, { 'user-agent': SAFARI_IPHONE });
    expect((await phone.post('/api/auth/mfa/verify', { code: oldCodes[0] })).status).toBe(200);
    expect(await signedIn(phone)).toBe(true);

    const wrong = await a.laptop.post('/api/auth/mfa/recovery-codes', { code: '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('mfa_code_invalid');
    expect(await signedIn(phone)).toBe(true);

    const res = await a.laptop.post('/api/auth/mfa/recovery-codes', { code: totpCodeAt(secret, Date.now()) });
    expect(res.status).toBe(200);
    const fresh: string[] = res.body.recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => oldCodes.includes(c))).toBe(false);
    expect(await signedIn(phone)).toBe(false);
    expect(await signedIn(a.laptop)).toBe(true);

    const again = t.client();
    await again.post('/api/auth/login', { email: a.email, password: a.password });
    expect((await again.post('/api/auth/mfa/verify', { code: oldCodes[1] })).status).toBe(401);
    expect((await again.post('/api/auth/mfa/verify', { code: fresh[0] })).status).toBe(200);
    const userId = (await a.laptop.get('/api/auth/me')).body.id;
    expect((await auditOf('auth.mfa.recovery_codes_replaced', userId)).map((e) => e.metadata)).toEqual([
      { with: 'totp', ended: 1 },
    ]);
    expect(
      JSON.stringify(await t.db.query(`SELECT metadata FROM audit_events WHERE target_id = $1`, [userId])),
    ).not.toContain(fresh[0]);
  });
});

describe('describeDevice', () => {
  test.each([
    [CHROME_MAC, 'Chrome 131 on macOS', 'desktop'],
    [SAFARI_IPHONE, 'Safari 17 on iOS 17.5', 'mobile'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox 133 on Linux', 'desktop'],
    ['curl/8.5.0', 'curl/8.5.0', 'other'],
    ['', 'Unknown device', 'other'],
  ])('%s', (ua, label, kind) => {
    expect(describeDevice(ua)).toEqual({ label, kind });
  });
});
