import { randomUUID } from 'node:crypto';
import { UsageCounterService } from '../src/tokens/usage-counter.service';
import { startTestApp, TestApp } from './harness';
import { connectedTenant } from './token-fixtures';

let t: TestApp;
const tag = `ovw${randomUUID().slice(0, 6)}`;
let ids: { healthy: string; legacy: string; overdue: string; empty: string };

beforeAll(async () => {
  t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
  const staff = await t.staff();
  const rename = (id: string, name: string) => staff.patch(`/api/tenants/${id}`, { name: `${tag} ${name}` });
  // healthy: JWT, security on for all three, tokens flowing.
  const healthy = await connectedTenant(t);
  for (const p of ['web', 'ios', 'android'])
    await healthy.admin.put(`/api/tenants/${healthy.tenantId}/intercom/platforms/${p}`, { securityEnabled: true });
  for (const p of ['web', 'ios', 'android'])
    await t
      .client(null)
      .post('/v1/intercom/token', { user_id: '1', platform: p }, { authorization: `Bearer ${healthy.apiKey}` });
  await rename(healthy.tenantId, 'Healthy');
  // legacy: HMAC mode, security off everywhere.
  const legacy = await connectedTenant(t, { mode: 'hmac' });
  await rename(legacy.tenantId, 'Legacy');
  // overdue: a secret saved 100 days ago under the 90-day default.
  const overdue = await connectedTenant(t);
  await t.db.query(`UPDATE secret_versions SET created_at = now() - interval '100 days' WHERE tenant_id = $1`, [
    overdue.tenantId,
  ]);
  await rename(overdue.tenantId, 'Overdue');
  // empty: nothing set up.
  const empty = await t.newTenant(`${tag} Empty`);
  await t.app.get(UsageCounterService).flush();
  ids = { healthy: healthy.tenantId, legacy: legacy.tenantId, overdue: overdue.tenantId, empty: empty.id };
});
afterAll(async () => {
  await t.close();
});

const names = (body: { items: Array<{ tenantName: string }> }) =>
  body.items.map((r) => r.tenantName.replace(`${tag} `, ''));

test('one row per tenant with APP_ID, secret, rotation, mode, per-platform status, traffic and problems', async () => {
  const res = await (await t.staff()).get(`/api/staff/integrations?q=${tag}`);
  expect(res.status).toBe(200);
  expect(names(res.body)).toEqual(['Empty', 'Healthy', 'Legacy', 'Overdue']);
  const healthy = res.body.items.find((r: { tenantId: string }) => r.tenantId === ids.healthy);
  expect(healthy).toMatchObject({
    identityMode: 'jwt',
    secretVersion: 1,
    secretAgeDays: 0,
    rotationStatus: 'ok',
    tokensLast24h: 3,
    problems: [],
  });
  expect(healthy.platforms.ios).toMatchObject({ securityEnabled: true, tokensLast24h: 1 });
  expect(healthy.lastTokenAt).not.toBeNull();
  const overdue = res.body.items.find((r: { tenantId: string }) => r.tenantId === ids.overdue);
  expect(overdue).toMatchObject({ rotationStatus: 'overdue', secretAgeDays: 100 });
  const empty = res.body.items.find((r: { tenantId: string }) => r.tenantId === ids.empty);
  expect(empty).toMatchObject({ appId: null, secretVersion: null, rotationStatus: 'none', stepsDone: 0 });
});

test.each([
  ['rotation_overdue', ['Overdue']],
  ['legacy_hmac', ['Legacy']],
  ['no_secret', ['Empty']],
  ['platform_off', ['Empty', 'Legacy', 'Overdue']],
  ['legacy_hmac,no_secret', ['Empty', 'Legacy']],
])('filtering by problem=%s', async (problem, expected) => {
  const res = await (await t.staff()).get(`/api/staff/integrations?q=${tag}&problem=${problem}`);
  expect(res.status).toBe(200);
  expect(names(res.body)).toEqual(expected);
});

test('sorting, paging and bad parameters', async () => {
  const staff = await t.staff();
  const byTokens = await staff.get(`/api/staff/integrations?q=${tag}&sort=tokensLast24h&order=desc&limit=1`);
  expect(names(byTokens.body)).toEqual(['Healthy']);
  expect(byTokens.body.total).toBe(4);
  const next = await staff.get(
    `/api/staff/integrations?q=${tag}&sort=tokensLast24h&order=desc&limit=1&cursor=${byTokens.body.nextCursor}`,
  );
  expect(next.body.items).toHaveLength(1);
  expect(next.body.items[0].tenantId).not.toBe(ids.healthy);
  const bad = await staff.get('/api/staff/integrations?problem=everything&sort=age');
  expect(bad.status).toBe(400);
  expect(Object.keys(bad.body.fields).sort()).toEqual(['problem', 'sort']);
});

test('tenant admins are refused the overview and the usage chart', async () => {
  const { client } = await t.newTenantAdmin(ids.healthy);
  expect((await client.get('/api/staff/integrations')).status).toBe(403);
  expect((await client.get('/api/staff/token-usage')).status).toBe(403);
});

test('token usage per platform per day, with empty days as zeros', async () => {
  const res = await (await t.staff()).get(`/api/staff/token-usage?days=7&tenantId=${ids.healthy}`);
  expect(res.status).toBe(200);
  expect(res.body.days).toHaveLength(7);
  expect(res.body.days[6]).toBe(new Date().toISOString().slice(0, 10));
  expect(res.body.series.web.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
  expect(res.body.series).toMatchObject({ web: expect.any(Array), ios: expect.any(Array), android: expect.any(Array) });
  expect(res.body.series.web[6] + res.body.series.ios[6] + res.body.series.android[6]).toBe(3);
});
