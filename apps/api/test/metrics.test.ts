import { Client as PgClient } from 'pg';
import { DatabaseHealth } from '../src/core/database-health.service';
import { UsageCounterService } from '../src/tokens/usage-counter.service';
import { countNotUnder } from '../src/vault/rewrap';
import { VaultKeyring } from '../src/vault/vault-keyring.service';
import { startTestApp, type TestApp } from './harness';
import { scrape } from './metrics-fixtures';
import { connectedTenant, type ConnectedTenant } from './token-fixtures';

// Issue 16 (observability) and issue 12 item 1 (a dropped usage count is counted in a metric).
let t: TestApp;
let tenant: ConnectedTenant;
beforeAll(async () => {
  t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0', EXCHANGE_FAILURES_PER_IP_PER_MINUTE: '0' });
  tenant = await connectedTenant(t);
});
afterAll(async () => {
  await t.close();
});

const issue = (apiKey: string, body: unknown) =>
  t.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${apiKey}` });
const requests = (platform: string, outcome: string, endpoint = 'token') =>
  `messenger_vault_token_requests_total{endpoint="${endpoint}",platform="${platform}",outcome="${outcome}"}`;
const durationCount = (outcome: string, endpoint = 'token') =>
  `messenger_vault_token_request_duration_seconds_count{endpoint="${endpoint}",outcome="${outcome}"}`;

test('token requests are counted by platform and outcome, and timed, on both token endpoints', async () => {
  const before = (await scrape(t.client())).values;
  const at = (k: string) => before.get(k) ?? 0;
  for (let i = 0; i < 3; i++)
    expect((await issue(tenant.apiKey, { user_id: `u${i}`, platform: 'web' })).status).toBe(200);
  expect((await issue(tenant.apiKey, { user_id: 'u9', platform: 'ios' })).status).toBe(200);
  expect((await issue(`${tenant.apiKey}x`, { user_id: 'u1', platform: 'android' })).status).toBe(401);
  expect((await issue(tenant.apiKey, { user_id: 'u1', platform: 'windows' })).status).toBe(400);
  expect((await issue(tenant.apiKey, { user_id: 'u1', platform: 'web', name: 'x'.repeat(100_000) })).status).toBe(413);
  const exchange = await t.client(null).post('/v1/intercom/token/exchange', { tenant_id: 'nope', platform: 'ios' });
  expect(exchange.status).toBe(400);

  const { values, contentType } = await scrape(t.client());
  expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  const moved = (k: string) => (values.get(k) ?? 0) - at(k);
  expect(moved(requests('web', 'issued'))).toBe(3);
  expect(moved(requests('ios', 'issued'))).toBe(1);
  expect(moved(requests('android', 'unauthorized'))).toBe(1);
  // A platform outside the three is `unknown`: what a caller sends never becomes a label. So is
  // the body refused as too large, which is never read.
  expect(moved(requests('unknown', 'invalid_request'))).toBe(2);
  expect(moved(requests('ios', 'invalid_request', 'exchange'))).toBe(1);
  expect(moved(durationCount('issued'))).toBe(4);
  expect(moved(durationCount('invalid_request', 'exchange'))).toBe(1);
  expect(
    values.get('messenger_vault_token_request_duration_seconds_sum{endpoint="token",outcome="issued"}'),
  ).toBeGreaterThan(0);
  // The verified caches were asked, and answered from memory after the first request.
  const hits = (cache: string) =>
    values.get(`messenger_vault_cache_lookups_total{cache="${cache}",result="fresh"}`) ?? 0;
  expect(hits('api_key')).toBeGreaterThanOrEqual(3);
  expect(hits('tenant_config')).toBeGreaterThanOrEqual(3);
  expect(hits('signing_key')).toBeGreaterThanOrEqual(3);
  expect(values.get('process_cpu_seconds_total')).toBeGreaterThan(0);
});

test('no tenant id, API key, key prefix, user id or secret appears in the metrics after traffic', async () => {
  const other = await connectedTenant(t);
  const userIds = ['user-7f3a91c2', 'ada@example.com'];
  for (const userId of userIds) await issue(other.apiKey, { user_id: userId, platform: 'android' });
  await issue(`${other.apiKey.slice(0, 20)}-forged`, { user_id: userIds[0], platform: 'web' });
  await t.client(null).post('/v1/intercom/token/exchange', { tenant_id: other.tenantId, platform: 'web' });
  const { text } = await scrape(t.client());
  const keyPrefix = other.apiKey.slice(0, 16);
  for (const secretish of [
    other.tenantId,
    tenant.tenantId,
    other.apiKey,
    keyPrefix,
    other.secret,
    other.appId,
    ...userIds,
  ]) {
    expect({ secretish, found: text.includes(secretish) }).toEqual({ secretish, found: false });
  }
  // Every label value is one of a few fixed words.
  const labelValues = new Set([...text.matchAll(/="([^"]*)"/g)].map((m) => m[1]));
  for (const v of labelValues) expect(v).toMatch(/^[\w.+:-]{0,40}$/);
});

test('db_up follows the database as this replica sees it; the outbox gauges read the database', async () => {
  const health = t.app.get(DatabaseHealth);
  expect((await scrape(t.client())).values.get('messenger_vault_db_up')).toBe(1);
  // A real refused connection, as the pool would meet it: the replica marks the database down.
  const refused = await new PgClient({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 1000 }).connect().then(
    () => null,
    (err: unknown) => err,
  );
  health.observe(refused);
  const down = (await scrape(t.client())).values;
  expect(down.get('messenger_vault_db_up')).toBe(0);
  // Not a made-up zero while the database is away.
  expect(down.get('messenger_vault_outbox_pending')).toBeNaN();
  // The probe finds it answering again within a second or two.
  const deadline = Date.now() + 5_000;
  while (!health.up && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  // The outbox is every test file's: the gauge is compared with a count taken just before and just
  // after the scrape, once nothing was queued or delivered in between.
  const pending = async (): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM notification_outbox WHERE state = 'pending'`))[0].n;
  const steady = async () => {
    for (let i = 0; ; i++) {
      const count = await pending();
      const values = (await scrape(t.client())).values;
      if ((await pending()) === count || i === 20) return { values, count };
    }
  };
  const { values: up, count } = await steady();
  expect(up.get('messenger_vault_db_up')).toBe(1);
  expect(up.get('messenger_vault_outbox_pending')).toBe(count);
  expect(up.get('messenger_vault_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
  expect(up.get('messenger_vault_rotations_overdue')).toBeGreaterThanOrEqual(0);
  expect(up.get('messenger_vault_db_pool_connections{state="total"}')).toBeGreaterThan(0);
  const activeKey = t.app.get(VaultKeyring).provider.activeKeyId();
  expect(up.get('messenger_vault_vault_rows_not_under_active_key')).toBe(await countNotUnder(t.db, activeKey));
});

test('a usage count dropped because the buffer is full is counted in a metric (issue 12)', async () => {
  const usage = t.app.get(UsageCounterService);
  await usage.flush();
  const before = (await scrape(t.client())).values;
  const dropped = before.get('messenger_vault_usage_counts_dropped_total') ?? 0;
  const saved = usage.maxPending;
  usage.maxPending = 0;
  try {
    expect((await issue(tenant.apiKey, { user_id: 'dropped', platform: 'web' })).status).toBe(200);
    expect((await issue(tenant.apiKey, { user_id: 'dropped', platform: 'ios' })).status).toBe(200);
  } finally {
    usage.maxPending = saved;
  }
  const after = (await scrape(t.client())).values;
  expect(after.get('messenger_vault_usage_counts_dropped_total')).toBe(dropped + 2);
  expect(after.get('messenger_vault_usage_pending_tallies')).toBe(usage.pending);
});
