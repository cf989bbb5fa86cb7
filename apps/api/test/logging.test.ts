import { redact } from '../src/logging/logger';
import { STAFF_PASSWORD, startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

test('logs are JSON lines, one per request with its request id', async () => {
  await t.client().get('/healthz', { 'x-request-id': 'log-check-1' });
  const lines = t.logs.map((l) => JSON.parse(l));
  const completed = lines.find((l) => l.reqId === 'log-check-1' && l.msg === 'request completed');
  expect(completed).toBeDefined();
  expect(completed.res.statusCode).toBe(200);
  const incoming = lines.find((l) => l.reqId === 'log-check-1' && l.msg === 'incoming request');
  expect(incoming.req).toMatchObject({ method: 'GET', path: '/healthz' });
});

test('passwords, cookies, authorization headers and query strings never reach the logs', async () => {
  const canary = `canary-${Math.random().toString(36).slice(2)}`;
  const c = await t.staff();
  await t.client().post('/api/auth/login', { email: 'someone@x.test', password: canary });
  await c.get(`/api/tenants?cursor=${canary}`, { authorization: `Bearer ${canary}` });
  await t.client().post('/api/invitations/accept', { token: `${canary}-token`, password: canary });
  const all = t.logs.join('\n');
  expect(all).not.toContain(canary);
  expect(all).not.toContain(STAFF_PASSWORD);
  const sessionId = c.cookieHeader.match(/mv_session=([^;]+)/)![1]!;
  expect(all).not.toContain(sessionId);
});

test('redaction reaches any field named like secret, password, token or key, at any depth', () => {
  const out = redact({
    ok: 1,
    nested: { apiKey: 'a', deeper: [{ clientSecret: 'b', accessToken: 'c' }] },
    password: 'd',
  }) as any;
  expect(out).toEqual({
    ok: 1,
    nested: { apiKey: '[redacted]', deeper: [{ clientSecret: '[redacted]', accessToken: '[redacted]' }] },
    password: '[redacted]',
  });
});
