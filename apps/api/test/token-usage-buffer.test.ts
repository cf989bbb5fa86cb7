import { UsageCounterService } from '../src/tokens/usage-counter.service';
import { startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
}, 60_000);

test('usage counts wait in bounded memory: past the limit a count is dropped, counted and logged, never silently', async () => {
  const tenant = await t.newTenant();
  const usage = t.app.get(UsageCounterService);
  const limit = 500;
  usage.maxPending = limit;
  const hour = 3_600_000;
  const start = Date.UTC(2000, 0, 1);
  // One tally per hour, as a very long outage would make; nothing is written in between.
  for (let i = 0; i < limit + 5; i++) usage.count(tenant.id, 'web', 'jwt', new Date(start + i * hour));
  expect(usage.pending).toBe(limit);
  expect(usage.dropped).toBe(5);
  const logged = t.logs.filter((l) => l.includes('counts dropped')).map((l) => JSON.parse(l));
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({ droppedTotal: expect.any(Number), pending: limit });

  // What was kept is written, each count in its own hour.
  await usage.flush();
  const [row] = await t.db.query(
    `SELECT count(*)::int AS hours, sum(count)::int AS tokens FROM token_usage WHERE tenant_id = $1`,
    [tenant.id],
  );
  expect(row).toEqual({ hours: limit, tokens: limit });
  expect(usage.pending).toBe(0);
}, 60_000);
