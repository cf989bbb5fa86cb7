import { randomUUID } from 'node:crypto';
import { UsageCounterService } from '../src/tokens/usage-counter.service';
import { startTestApp, TestApp } from './harness';
import { connectedTenant } from './token-fixtures';

let t: TestApp;
const tag = `ovw${randomUUID().slice(0, 6)}`;
const ftag = `fx${randomUUID().slice(0, 6)}`;
let usageKey: string;
let ids: { healthy: string; legacy: string; overdue: string; dueSoon: string; empty: string; formula: string };

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
  // due soon: saved 80 days ago, due in 10 days (the reminder lead is 14).
  const dueSoon = await connectedTenant(t);
  await t.db.query(`UPDATE secret_versions SET created_at = now() - interval '80 days' WHERE tenant_id = $1`, [
    dueSoon.tenantId,
  ]);
  await rename(dueSoon.tenantId, 'Soon');
  // empty: nothing set up.
  const empty = await t.newTenant(`${tag} Empty`);
  // A name a spreadsheet would run as a formula if the export wrote it as it is.
  const formula = await t.newTenant(`=${ftag}+HYPERLINK("http://evil.example")`);
  await t.app.get(UsageCounterService).flush();
  usageKey = healthy.apiKey;
  ids = {
    healthy: healthy.tenantId,
    legacy: legacy.tenantId,
    overdue: overdue.tenantId,
    dueSoon: dueSoon.tenantId,
    empty: empty.id,
    formula: formula.id,
  };
});
afterAll(async () => {
  await t.close();
});

const names = (body: { items: Array<{ tenantName: string }> }) =>
  body.items.map((r) => r.tenantName.replace(`${tag} `, ''));

test('one row per tenant with APP_ID, secret, rotation, mode, per-platform status, traffic and problems', async () => {
  const res = await (await t.staff()).get(`/api/staff/integrations?q=${tag}`);
  expect(res.status).toBe(200);
  expect(names(res.body)).toEqual(['Empty', 'Healthy', 'Legacy', 'Overdue', 'Soon']);
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
  ['rotation_due_soon', ['Soon']],
  ['platform_off', ['Empty', 'Legacy', 'Overdue', 'Soon']],
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
  expect(byTokens.body.total).toBe(5);
  const next = await staff.get(
    `/api/staff/integrations?q=${tag}&sort=tokensLast24h&order=desc&limit=1&cursor=${byTokens.body.nextCursor}`,
  );
  expect(next.body.items).toHaveLength(1);
  expect(next.body.items[0].tenantId).not.toBe(ids.healthy);
  const bad = await staff.get('/api/staff/integrations?problem=everything&sort=age');
  expect(bad.status).toBe(400);
  expect(Object.keys(bad.body.fields).sort()).toEqual(['problem', 'sort']);
});

test('tenant admins are refused the overview, its export and the usage chart', async () => {
  const { client } = await t.newTenantAdmin(ids.healthy);
  expect((await client.get('/api/staff/integrations')).status).toBe(403);
  expect((await client.get(`/api/staff/integrations/export.csv?q=${tag}`)).status).toBe(403);
  expect((await t.client(null).get('/api/staff/integrations/export.csv')).status).toBe(401);
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

const SORTS = ['name', 'rotationDueAt', 'lastTokenAt', 'tokensLast24h', 'problems'] as const;

/** What each sort orders by, from the row as the API returns it (ties by tenant id). */
const SORT_VALUE: Record<(typeof SORTS)[number], (r: any) => string | number> = {
  name: (r) => r.tenantName.toLowerCase(),
  rotationDueAt: (r) => (r.rotationDueAt ? Date.parse(r.rotationDueAt) : Number.MAX_SAFE_INTEGER),
  lastTokenAt: (r) => (r.lastTokenAt ? Date.parse(r.lastTokenAt) : -1),
  tokensLast24h: (r) => r.tokensLast24h,
  problems: (r) => r.problems.filter((p: { severity: string }) => p.severity !== 'info').length,
};

test.each(SORTS.flatMap((sort) => [[sort, 'asc'] as const, [sort, 'desc'] as const]))(
  'sort=%s order=%s: in order, and paging one row at a time by cursor gives the same rows',
  async (sort, order) => {
    const staff = await t.staff();
    const all = await staff.get(`/api/staff/integrations?q=${tag}&sort=${sort}&order=${order}`);
    expect(all.status).toBe(200);
    const rows = all.body.items;
    expect(rows).toHaveLength(5);
    const dir = order === 'asc' ? 1 : -1;
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [SORT_VALUE[sort](rows[i - 1]), SORT_VALUE[sort](rows[i])];
      expect(a === b || (a < b ? dir : -dir) === 1).toBe(true);
    }
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await staff.get(
        `/api/staff/integrations?q=${tag}&sort=${sort}&order=${order}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(5);
      paged.push(...res.body.items.map((r: { tenantId: string }) => r.tenantId));
      cursor = res.body.nextCursor;
    } while (cursor && paged.length < 10);
    expect(paged).toEqual(rows.map((r: { tenantId: string }) => r.tenantId));
  },
);

test('sorted by problems and filtered by rotation problems only: the rows that have them', async () => {
  const staff = await t.staff();
  for (const order of ['asc', 'desc']) {
    const res = await staff.get(
      `/api/staff/integrations?q=${tag}&problem=rotation_overdue,rotation_due_soon&sort=problems&order=${order}&limit=1`,
    );
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    const next = await staff.get(
      `/api/staff/integrations?q=${tag}&problem=rotation_overdue,rotation_due_soon&sort=problems&order=${order}&limit=1&cursor=${res.body.nextCursor}`,
    );
    expect([...names(res.body), ...names(next.body)].sort()).toEqual(['Overdue', 'Soon']);
    expect(next.body.nextCursor).toBeNull();
  }
});

test('every problem filter agrees with the problems each row shows (the SQL rules are setupStatus)', async () => {
  const staff = await t.staff();
  const all = (await staff.get(`/api/staff/integrations?q=${tag}`)).body.items;
  for (const code of [
    'rotation_overdue',
    'rotation_due_soon',
    'platform_off',
    'platform_no_traffic',
    'legacy_hmac',
    'no_secret',
    'no_app_id',
  ]) {
    const filtered = (await staff.get(`/api/staff/integrations?q=${tag}&problem=${code}`)).body.items;
    const expected = all.filter((r: { problems: Array<{ code: string }> }) => r.problems.some((p) => p.code === code));
    expect([code, filtered.map((r: { tenantId: string }) => r.tenantId).sort()]).toEqual([
      code,
      expected.map((r: { tenantId: string }) => r.tenantId).sort(),
    ]);
  }
  // And the row matches the tenant's own setup page.
  const setup = await staff.get(`/api/tenants/${ids.dueSoon}/intercom`);
  const row = all.find((r: { tenantId: string }) => r.tenantId === ids.dueSoon);
  expect(row.problems).toEqual(setup.body.problems);
});

test('a cursor that was tampered with, forged or issued for other filters is a 400, not a 500', async () => {
  const staff = await t.staff();
  const first = await staff.get(`/api/staff/integrations?q=${tag}&sort=tokensLast24h&limit=2`);
  const cursor: string = first.body.nextCursor;
  expect(cursor).toEqual(expect.any(String));
  const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const bad = [
    'not-a-cursor!',
    Buffer.from('o:100').toString('base64url'),
    forge([...decoded.slice(0, 2), "1'; DROP TABLE tenants; --", decoded[3]]),
    forge([...decoded.slice(0, 3), 'not-a-uuid']),
    forge({ key: decoded[2] }),
    forge([...decoded.slice(0, 4), -1]),
    forge([...decoded.slice(0, 4), 'many']),
    cursor.slice(0, -3),
    'x'.repeat(2000),
  ];
  for (const c of bad) {
    const res = await staff.get(`/api/staff/integrations?q=${tag}&sort=tokensLast24h&limit=2&cursor=${c}`);
    expect([c, res.status]).toEqual([c, 400]);
    expect(res.body.fields.cursor[0]).toMatch(/cursor/);
  }
  // A real cursor with another sort or filter would skip or repeat rows: refused, saying why.
  const other = await staff.get(`/api/staff/integrations?q=${tag}&sort=name&limit=2&cursor=${cursor}`);
  expect(other.status).toBe(400);
  expect(other.body.fields.cursor[0]).toMatch(/other filters/);
  const same = await staff.get(`/api/staff/integrations?q=${tag}&sort=tokensLast24h&limit=2&cursor=${cursor}`);
  expect(same.status).toBe(200);
});

test('CSV export: streamed as an attachment, every matching row, formulas neutralised', async () => {
  const staff = await t.staff();
  const res = await staff.get(`/api/staff/integrations/export.csv?q=${tag}&sort=name`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(res.headers.get('content-disposition')).toMatch(
    /^attachment; filename="integrations-\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  const lines = (res.body as string).split('\r\n').filter(Boolean);
  expect(lines[0]).toMatch(/^tenant_id,tenant_name,app_id,/);
  expect(lines).toHaveLength(1 + 5);
  const one = await staff.get(`/api/staff/integrations/export.csv?q=${ftag}`);
  const formula = (one.body as string).split('\r\n')[1]!;
  expect(formula.startsWith(ids.formula)).toBe(true);
  // The name starts with "=": written with a leading quote (and quoted, for its own quotes).
  expect(formula.split(',')[1]).toBe(`"'=${ftag}+HYPERLINK(""http://evil.example"")"`);
  const overdue = lines.find((l) => l.startsWith(ids.overdue))!;
  expect(overdue).toContain(',overdue,');
  expect(overdue).toMatch(/,"Rotation overdue; Platform off · Web, iOS, Android"$/);
  const filtered = await staff.get(`/api/staff/integrations/export.csv?q=${tag}&problem=legacy_hmac`);
  expect((filtered.body as string).split('\r\n').filter(Boolean)).toHaveLength(2);
  const bad = await staff.get('/api/staff/integrations/export.csv?sort=age');
  expect(bad.status).toBe(400);
});

test('the overview follows every change at once: rename, archive, security, secret, settings, traffic', async () => {
  const staff = await t.staff();
  const tenant = await connectedTenant(t);
  const tag2 = `sync${randomUUID().slice(0, 6)}`;
  const rowOf = async () => (await staff.get(`/api/staff/integrations?q=${tag2}`)).body.items[0];
  await staff.patch(`/api/tenants/${tenant.tenantId}`, { name: `${tag2} One` });
  expect((await rowOf()).tenantName).toBe(`${tag2} One`);
  await tenant.admin.put(`/api/tenants/${tenant.tenantId}/intercom/platforms/ios`, { securityEnabled: true });
  expect((await rowOf()).platforms.ios.securityEnabled).toBe(true);
  await tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, { identityMode: 'hmac' });
  expect((await rowOf()).problems.map((p: { code: string }) => p.code)).toContain('legacy_hmac');
  await tenant.admin.put(`/api/tenants/${tenant.tenantId}/intercom/secret`, {
    secret: 'a-second-messenger-secret-0123456789',
  });
  expect((await rowOf()).secretVersion).toBe(2);
  await t
    .client(null)
    .post('/v1/intercom/token', { user_id: '1', platform: 'ios' }, { authorization: `Bearer ${tenant.apiKey}` });
  await t.app.get(UsageCounterService).flush();
  const used = await rowOf();
  expect(used.lastTokenAt).not.toBeNull();
  expect(used.platforms.ios.tokensLast24h).toBeGreaterThan(0);
  const byLast = await staff.get(`/api/staff/integrations?q=${tag2}&sort=lastTokenAt&order=desc`);
  expect(byLast.body.items[0].tenantId).toBe(tenant.tenantId);
  await staff.patch(`/api/tenants/${tenant.tenantId}`, { archived: true });
  expect((await staff.get(`/api/staff/integrations?q=${tag2}`)).body.items).toEqual([]);
});

test('usage across tenants comes from the daily rollup and matches the hourly rows, flush after flush', async () => {
  const staff = await t.staff();
  const sumToday = async () => {
    const [row] = await t.db.query(
      `SELECT platform, sum(count)::int AS n FROM token_usage
        WHERE (hour AT TIME ZONE 'UTC')::date = (now() AT TIME ZONE 'UTC')::date AND platform = 'android' GROUP BY 1`,
    );
    return row?.n ?? 0;
  };
  const chartToday = async () => {
    const res = await staff.get('/api/staff/token-usage?days=3');
    expect(res.status).toBe(200);
    return res.body.series.android[2];
  };
  const before = await chartToday();
  expect(before).toBe(await sumToday());
  // New hourly rows (insert) and more tokens in an existing hour (update) both reach the rollup.
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++)
      await t
        .client(null)
        .post('/v1/intercom/token', { user_id: `u${j}`, platform: 'android' }, { authorization: `Bearer ${usageKey}` });
    await t.app.get(UsageCounterService).flush();
  }
  expect(await chartToday()).toBe(before + 4);
  expect(await chartToday()).toBe(await sumToday());
});
