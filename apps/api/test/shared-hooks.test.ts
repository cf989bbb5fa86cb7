import Fastify from 'fastify';
import { applySharedHooks } from '../src/bootstrap/shared-hooks';
import { startTestApp, TestApp } from './harness';
import { connectedTenant } from './token-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** What `applySharedHooks` adds, learnt from a bare instance: a header added later is in this list too. */
async function sharedHeaders(): Promise<Record<string, string>> {
  // The app keeps a caller's plain x-request-id; the bare instance is told to do the same here.
  const bare = Fastify({ genReqId: () => 'probe' });
  applySharedHooks(bare, { publicUrl: null });
  bare.get('/', () => 'ok');
  const without = Fastify();
  without.get('/', () => 'ok');
  const [withHooks, plain] = await Promise.all([bare.inject({ url: '/' }), without.inject({ url: '/' })]);
  await Promise.all([bare.close(), without.close()]);
  const added = Object.entries(withHooks.headers).filter(([name]) => !(name in plain.headers));
  return Object.fromEntries(added.map(([name, value]) => [name, String(value)]));
}

test('every header the shared hooks add is on the hot routes (token, exchange) and on a Nest route alike', async () => {
  const expected = await sharedHeaders();
  // Today: the request id and the security headers. The list must not be empty, or this proves nothing.
  expect(Object.keys(expected)).toEqual(
    expect.arrayContaining(['x-request-id', 'x-content-type-options', 'content-security-policy']),
  );
  const tenant = await connectedTenant(t);
  const client = t.client(null);
  const answers = {
    hot: await client.post(
      '/v1/intercom/token',
      { user_id: '42', platform: 'web' },
      { authorization: `Bearer ${tenant.apiKey}`, 'x-request-id': 'probe' },
    ),
    hotError: await client.post('/v1/intercom/token', { user_id: '42' }, { 'x-request-id': 'probe' }),
    exchangeError: await client.post('/v1/intercom/token/exchange', { platform: 'web' }, { 'x-request-id': 'probe' }),
    nest: await client.get('/healthz', { 'x-request-id': 'probe' }),
    nestError: await client.get('/api/auth/me', { 'x-request-id': 'probe' }),
  };
  expect(Object.fromEntries(Object.entries(answers).map(([what, res]) => [what, res.status]))).toEqual({
    hot: 200,
    hotError: 401,
    exchangeError: 400,
    nest: 200,
    nestError: 401,
  });
  for (const [what, res] of Object.entries(answers)) {
    const seen = Object.fromEntries(Object.keys(expected).map((name) => [name, res.headers.get(name)]));
    expect({ what, ...seen }).toEqual({ what, ...expected });
  }
});
