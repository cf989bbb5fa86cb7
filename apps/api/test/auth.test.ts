import { createHash, randomUUID } from 'node:crypto';
import { Client, STAFF_EMAIL, STAFF_PASSWORD, startTestApp, TestApp, uniqueIp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_LOCKOUT_SECONDS: '30' });
});
afterAll(async () => {
  await t.close();
});

describe('sign-in', () => {
  test('a staff user signs in and gets an HttpOnly, SameSite=Strict session cookie', async () => {
    const c = t.client();
    const res = await c.post('/api/auth/login', { email: STAFF_EMAIL, password: STAFF_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: STAFF_EMAIL, isStaff: true, memberships: [] });
    const cookie = res.headers.getSetCookie().find((h) => h.startsWith('mv_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(STAFF_EMAIL);
  });

  test('the cookie is Secure when the app is served over https', async () => {
    const https = await startTestApp({ PUBLIC_URL: 'https://vault.example.com' });
    try {
      const c = https.client('https://vault.example.com');
      const res = await c.post('/api/auth/login', { email: STAFF_EMAIL, password: STAFF_PASSWORD });
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie().find((h) => h.startsWith('mv_session='))).toMatch(/Secure/);
    } finally {
      await https.close();
    }
  });

  test('only a hash of the session id is stored in Postgres', async () => {
    const c = await t.staff();
    const token = c.cookieHeader.match(/mv_session=([^;]+)/)![1]!;
    const rows: Array<{ id_hash: Buffer }> = await t.db.query(`SELECT id_hash FROM sessions`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.id_hash.toString('utf8')).not.toContain(token);
    expect(rows.some((r) => r.id_hash.toString('base64url') === token)).toBe(false);
  });

  test('a wrong password and an unknown email get the same 401 message', async () => {
    const wrong = await t
      .client()
      .post('/api/auth/login', { email: STAFF_EMAIL.replace('staff', 'nobody'), password: 'x'.repeat(20) });
    const unknown = await t
      .client()
      .post('/api/auth/login', { email: `ghost-${randomUUID()}@x.test`, password: 'whatever-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.body.message).toBe('Email or password is incorrect.');
  });

  test('a malformed login body gets 400 with a message per field', async () => {
    const res = await t.client().post('/api/auth/login', { email: 'not-an-email', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(Object.keys(res.body.fields).sort()).toEqual(['email', 'extra', 'password']);
    expect(res.body.fields.extra[0]).toMatch(/not a field/);
  });

  test('a body that is not JSON gets 400, not 500', async () => {
    const res = await t.client().post('/api/auth/login', '{"email":', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/not valid JSON/);
  });
});

describe('throttling', () => {
  test('repeated failures on one account answer 429 with Retry-After, even with the right password', async () => {
    const { email, password } = await t.newTenantAdmin((await t.newTenant()).id);
    for (let i = 0; i < 3; i++) {
      const res = await t.client().post('/api/auth/login', { email, password: 'wrong-password-123' });
      expect(res.status).toBe(401);
    }
    const locked = await t.client().post('/api/auth/login', { email, password });
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(locked.body.message).toMatch(/Wait \d+ seconds/);
  });

  test('the lock lifts once the wait has passed', async () => {
    const { email, password } = await t.newTenantAdmin((await t.newTenant()).id);
    for (let i = 0; i < 3; i++) await t.client().post('/api/auth/login', { email, password: 'wrong-password-123' });
    expect((await t.client().post('/api/auth/login', { email, password })).status).toBe(429);
    await t.db.query(`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE subject = $1`, [
      email,
    ]);
    expect((await t.client().post('/api/auth/login', { email, password })).status).toBe(200);
  });

  test('repeated failures from one IP across many accounts answer 429 for that IP only', async () => {
    const proxied = await startTestApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_IP: '4' });
    try {
      const ip = uniqueIp();
      for (let i = 0; i < 4; i++) {
        const res = await proxied
          .client()
          .post(
            '/api/auth/login',
            { email: `spray-${i}-${randomUUID()}@x.test`, password: 'guess-guess' },
            { 'x-forwarded-for': ip },
          );
        expect(res.status).toBe(401);
      }
      const blocked = await proxied
        .client()
        .post('/api/auth/login', { email: STAFF_EMAIL, password: STAFF_PASSWORD }, { 'x-forwarded-for': ip });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      const otherIp = await proxied
        .client()
        .post(
          '/api/auth/login',
          { email: STAFF_EMAIL, password: STAFF_PASSWORD },
          { 'x-forwarded-for': '198.51.100.7' },
        );
      expect(otherIp.status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});

describe('sessions', () => {
  test('logout ends the session server-side: the old cookie no longer works', async () => {
    const c = await t.staff();
    const stolen = new Client(t.url);
    stolen.setCookie('mv_session', c.cookieHeader.match(/mv_session=([^;]+)/)![1]!);
    expect((await c.post('/api/auth/logout')).status).toBe(200);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect((await stolen.get('/api/auth/me')).status).toBe(401);
  });

  test('a session idle longer than the idle limit expires', async () => {
    const c = await t.staff();
    expect((await c.get('/api/auth/me')).status).toBe(200);
    // This session only: every test file signs in as this staff user, and those running alongside
    // would find theirs expired too.
    const token = c.cookieHeader.match(/mv_session=([^;]+)/)![1]!;
    await t.db.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE id_hash = $1`, [
      createHash('sha256').update(token).digest(),
    ]);
    const res = await c.get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/expired/);
  });

  test('a session past its absolute expiry ends even while in use', async () => {
    const c = await t.staff();
    const token = c.cookieHeader.match(/mv_session=([^;]+)/)![1]!;
    const hash = createHash('sha256').update(token).digest();
    await t.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second', last_seen_at = now() WHERE id_hash = $1`,
      [hash],
    );
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  test('unauthenticated requests to /api are refused with 401', async () => {
    for (const [method, path] of [
      ['GET', '/api/tenants'],
      ['GET', '/api/auth/me'],
      ['POST', '/api/tenants'],
    ] as const) {
      const res = await t.client().request(method, path, method === 'POST' ? { name: 'x' } : undefined);
      expect(res.status).toBe(401);
    }
  });
});

describe('CSRF', () => {
  test('a mutating request with the session cookie from another origin is refused with 403', async () => {
    const c = await t.staff();
    const evil = new Client(t.url, 'https://evil.example');
    evil.setCookie('mv_session', c.cookieHeader.match(/mv_session=([^;]+)/)![1]!);
    const res = await evil.post('/api/tenants', { name: 'csrf attempt' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('csrf_rejected');
    const rows: unknown[] = await t.db.query(`SELECT 1 FROM tenants WHERE name = 'csrf attempt'`);
    expect(rows).toHaveLength(0);
  });

  test('without Origin, a foreign Referer is refused and our own is accepted', async () => {
    const c = await t.staff();
    const noOrigin = new Client(t.url, null);
    noOrigin.setCookie('mv_session', c.cookieHeader.match(/mv_session=([^;]+)/)![1]!);
    expect(
      (await noOrigin.post('/api/tenants', { name: 'via referer' }, { referer: 'https://evil.example/page' })).status,
    ).toBe(403);
    expect((await noOrigin.post('/api/tenants', { name: 'no headers at all' })).status).toBe(403);
    expect((await noOrigin.post('/api/tenants', { name: 'own referer' }, { referer: `${t.url}/tenants` })).status).toBe(
      201,
    );
  });

  test('reads are not subject to the origin check', async () => {
    const c = await t.staff();
    const other = new Client(t.url, 'https://evil.example');
    other.setCookie('mv_session', c.cookieHeader.match(/mv_session=([^;]+)/)![1]!);
    expect((await other.get('/api/auth/me')).status).toBe(200);
  });
});
