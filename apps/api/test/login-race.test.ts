import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp, uniqueIp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_LOCKOUT_SECONDS: '60', TRUST_PROXY: '1' });
});
afterAll(async () => {
  await t.close();
});

const histogram = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((h, s) => ({ ...h, [s]: (h[s] ?? 0) + 1 }), {});

/** Every password check ends in an audit event: failed ones in auth.login.failed, so they count the checks. */
async function checkedFailures(email: string): Promise<number> {
  const rows: Array<{ n: number }> = await t.db.query(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.login.failed' AND actor_email = $1`,
    [email],
  );
  return rows[0]!.n;
}

test('30 concurrent wrong passwords: at most 5 are checked, the rest get 429, and the right one is then locked out', async () => {
  const { email, password } = await t.newTenantAdmin((await t.newTenant()).id);
  const guesses = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      t.client().post('/api/auth/login', { email, password: `wrong-guess-${i}-${randomUUID()}` }),
    ),
  );
  const statuses = histogram(guesses.map((g) => g.status));
  process.stdout.write(`30 concurrent wrong passwords → ${JSON.stringify(statuses)}\n`);
  const checked = await checkedFailures(email);
  process.stdout.write(`password checks (auth.login.failed events): ${checked}\n`);
  expect(checked).toBeLessThanOrEqual(5);
  expect(statuses[401] ?? 0).toBe(checked);
  expect(statuses[429]).toBe(30 - checked);
  expect(Object.keys(statuses).sort()).toEqual(['401', '429']);
  for (const g of guesses.filter((r) => r.status === 429))
    expect(Number(g.headers.get('retry-after'))).toBeGreaterThan(0);

  const right = await t.client().post('/api/auth/login', { email, password });
  expect(right.status).toBe(429);
});

test('guesses spread over many accounts from one IP are limited the same way', async () => {
  const ip = uniqueIp();
  const perIp = await startTestApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_IP: '4' });
  try {
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        perIp
          .client()
          .post(
            '/api/auth/login',
            { email: `spray-${i}-${randomUUID()}@x.test`, password: 'guess-guess' },
            { 'x-forwarded-for': ip },
          ),
      ),
    );
    const statuses = histogram(guesses.map((g) => g.status));
    process.stdout.write(`20 concurrent guesses from one IP (limit 4) → ${JSON.stringify(statuses)}\n`);
    expect(statuses).toEqual({ 401: 4, 429: 16 });
  } finally {
    await perIp.close();
  }
});

test('successful sign-ins give their attempt back: they never lock an IP out', async () => {
  const ip = uniqueIp();
  const perIp = await startTestApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_IP: '3' });
  try {
    // Set up through the app with the default limits: every worker signs in from 127.0.0.1, and
    // that shared IP must not meet this app's limit of 3.
    const { email, password } = await t.newTenantAdmin((await t.newTenant()).id);
    for (let i = 0; i < 6; i++) {
      const res = await perIp.client().post('/api/auth/login', { email, password }, { 'x-forwarded-for': ip });
      expect(res.status).toBe(200);
    }
    // Two failures then a success then two failures: the success cleared the account's count,
    // and the IP (limit 3) is locked only by the third failure, not by the successes.
    const fail = () =>
      perIp.client().post('/api/auth/login', { email, password: 'nope-nope-nope' }, { 'x-forwarded-for': ip });
    expect((await fail()).status).toBe(401);
    expect((await fail()).status).toBe(401);
    expect((await perIp.client().post('/api/auth/login', { email, password }, { 'x-forwarded-for': ip })).status).toBe(
      200,
    );
    expect((await fail()).status).toBe(401);
    expect((await perIp.client().post('/api/auth/login', { email, password }, { 'x-forwarded-for': ip })).status).toBe(
      429,
    );
  } finally {
    await perIp.close();
  }
});
