import { freshDatabase, type FreshDatabase } from './fresh-database';
import { startTestApp, TestApp } from './harness';
import { scrape } from './metrics-fixtures';
import { connectedTenant, verifyHs256 } from './token-fixtures';
import { ApiKeysService } from '../src/tokens/api-keys.service';
import { TokenRoute } from '../src/tokens/token-route';
import { UsageCounterService } from '../src/tokens/usage-counter.service';
import { SigningKeyService } from '../src/vault/signing-key.service';

// Issue 16 ("the first request for a key after a restart < 10 ms"), docs/decisions/0058.
// A database of its own: the first test locks a whole table, which in the shared one would hold
// up every other test file's token and setup requests meanwhile.
let db: FreshDatabase;
let t: TestApp;
beforeAll(async () => {
  db = await freshDatabase();
  t = await startTestApp({ DATABASE_URL: db.url, TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
});
afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const issue = (key: string, body: unknown) =>
  t.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${key}` });

test("a key's first token asks for the signing key while the tenant's settings are still being read", async () => {
  const tenant = await connectedTenant(t);
  const signingKeys = t.app.get(SigningKeyService);
  // The settings query waits on this lock; the signing key's query (secret_versions) does not.
  const blocker = t.db.createQueryRunner();
  await blocker.connect();
  await blocker.startTransaction();
  let settled = false;
  try {
    await blocker.query('LOCK TABLE intercom_settings IN ACCESS EXCLUSIVE MODE');
    const loadedBefore = signingKeys.cacheStats.loaded;
    const pending = issue(tenant.apiKey, { user_id: 'first', platform: 'web' }).finally(() => (settled = true));
    // Well inside the hot queries' 2 s timeout, so the settings query is still waiting.
    const deadline = Date.now() + 1_200;
    while (signingKeys.cacheStats.loaded === loadedBefore && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signingKeys.cacheStats.loaded).toBe(loadedBefore + 1);
    // The request is still held by the settings: the key was loaded alongside, not after.
    expect(settled).toBe(false);
    await blocker.rollbackTransaction();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(verifyHs256(res.body.token, tenant.secret)?.payload.user_id).toBe('first');
  } finally {
    if (blocker.isTransactionActive) await blocker.rollbackTransaction();
    await blocker.release();
  }
});

test('the early signing-key lookup changes no answer: checks keep their order and its failure is never unhandled', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    // No secret saved: the early lookup fails (no key for the platform) on every request below.
    const tenant = await t.newTenant();
    const { client: admin } = await t.newTenantAdmin(tenant.id);
    const key = (await admin.post(`/api/tenants/${tenant.id}/api-keys`, { name: 'backend' })).body.key as string;

    const badBody = await issue(key, { platform: 'web', user_id: 'a@b.example' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.fields.user_id[0]).toMatch(/looks like an email/);
    const unknownField = await issue(key, { platform: 'web', user_id: '1', plan: 'pro' });
    expect(unknownField.status).toBe(400);
    // No APP_ID yet: still the APP_ID message first, not the missing key's.
    const noAppId = await issue(key, { platform: 'web', user_id: '1' });
    expect(noAppId.status).toBe(409);
    expect(noAppId.body.message).toMatch(/APP_ID/);
    await admin.put(`/api/tenants/${tenant.id}/intercom/app-id`, { appId: 'cold01' });
    const noKey = await issue(key, { platform: 'web', user_id: '1' });
    expect(noKey.status).toBe(409);
    expect(noKey.body.message).not.toMatch(/APP_ID/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('the start-up warm-up runs the real route once, and counts or issues nothing', async () => {
  const tenant = await connectedTenant(t);
  const usage = t.app.get(UsageCounterService);
  const pendingBefore = usage.pending;
  const before = (await scrape(t.client())).values;
  const keysBefore = t.app.get(ApiKeysService).cacheStats.loaded;

  await t.app.get(TokenRoute).warm();

  const after = (await scrape(t.client())).values;
  const tokenCounts = (values: Map<string, number>) =>
    [...values].filter(
      ([name]) => name.startsWith('messenger_vault_token_request') && name.includes('endpoint="token"'),
    );
  expect(tokenCounts(after)).toEqual(tokenCounts(before));
  // It did go through the real route: its made-up key was looked up in the database (and not found).
  expect(t.app.get(ApiKeysService).cacheStats.loaded).toBe(keysBefore + 1);
  expect(usage.pending).toBe(pendingBefore);

  // And the route answers as before.
  const res = await issue(tenant.apiKey, { user_id: 'after-warm-up', platform: 'web' });
  expect(res.status).toBe(200);
  expect(t.logs.join('\n')).not.toMatch(/warm-up@example\.com/);
});

test('answered from memory, the steady state keeps every check: a wrong key with a known prefix, a bad body, a revoked key', async () => {
  const tenant = await connectedTenant(t);
  const body = { user_id: 'steady', platform: 'web' };
  expect((await issue(tenant.apiKey, body)).status).toBe(200);
  const keys = t.app.get(ApiKeysService).cacheStats;
  const loaded = keys.loaded;

  const res = await issue(tenant.apiKey, body);
  expect(res.status).toBe(200);
  expect(verifyHs256(res.body.token, tenant.secret)?.payload.user_id).toBe('steady');
  const samePrefix = tenant.apiKey.slice(0, -4) + (tenant.apiKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  expect((await issue(samePrefix, body)).status).toBe(401);
  expect((await issue(tenant.apiKey, { ...body, user_id: '' })).status).toBe(400);
  expect((await issue(tenant.apiKey, { ...body, platform: 'windows' })).status).toBe(400);
  // All of the above from memory: no lookup went to the database.
  expect(keys.loaded).toBe(loaded);

  const list = await tenant.admin.get(`/api/tenants/${tenant.tenantId}/api-keys`);
  await tenant.admin.delete(`/api/tenants/${tenant.tenantId}/api-keys/${list.body.items[0].id}`);
  const revoked = await issue(tenant.apiKey, body);
  expect(revoked.status).toBe(401);
  expect(revoked.body.message).toMatch(/revoked/);
});
