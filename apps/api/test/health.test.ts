import { startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

test('healthz answers while the process is alive', async () => {
  const res = await t.client().get('/healthz');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok' });
});

test('readyz reports the database, migrations and first staff user as ready', async () => {
  const res = await t.client().get('/readyz');
  expect(res.status).toBe(200);
  expect(res.body.checks).toEqual({ database: 'ok', migrations: 'ok', staffUser: 'ok', vaultKeys: 'ok' });
});

test('every response carries a request id, and a plain one given by the caller is kept', async () => {
  const res = await t.client().get('/healthz', { 'x-request-id': 'abc-123' });
  expect(res.headers.get('x-request-id')).toBe('abc-123');
  const generated = await t.client().get('/healthz', { 'x-request-id': 'bad id with spaces <x>' });
  expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});
