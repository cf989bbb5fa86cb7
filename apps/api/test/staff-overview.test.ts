import { randomUUID } from 'node:crypto';
import { OVERVIEW_PROBLEMS } from '../src/staff/dto/staff.dto';
import { UsageCounterService } from '../src/tokens/usage-counter.service';
import { startTestApp, type HttpResult, TestApp } from './harness';
import { IntercomStandIn } from './intercom-stand-in';
import { connectedTenant, type ConnectedTenant } from './token-fixtures';

const intercom = new IntercomStandIn();
let t: TestApp;
const tag = `ovw${randomUUID().slice(0, 6)}`;
const ftag = `fx${randomUUID().slice(0, 6)}`;
let usageKey: string;
let ids: { healthy: string; legacy: string; overdue: string; dueSoon: string; empty: string; formula: string };

beforeAll(async () => {
  await intercom.start();
  t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0', INTERCOM_API_URL: intercom.url });
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
  await intercom.stop();
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
      const res: HttpResult = await staff.get(
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

type Row = {
  tenantId: string;
  tenantName: string;
  autoRotate: boolean;
  problems: Array<{ code: string; severity: string; platform?: string }>;
};
const counted = (r: Row) => r.problems.filter((p) => p.severity !== 'info').length;

/**
 * The SQL rules are setupStatus: every problem filter gives exactly the rows showing that problem,
 * the problems order's key (as its cursor carries it) is the row's count of errors and warnings,
 * and each row's problems are the tenant's own setup page's.
 */
async function expectAgreement(q: string): Promise<Row[]> {
  const staff = await t.staff();
  const all: Row[] = (await staff.get(`/api/staff/integrations?q=${q}`)).body.items;
  for (const code of OVERVIEW_PROBLEMS) {
    const filtered: Row[] = (await staff.get(`/api/staff/integrations?q=${q}&problem=${code}`)).body.items;
    const expected = all.filter((r) => r.problems.some((p) => p.code === code));
    expect([code, filtered.map((r) => r.tenantId).sort()]).toEqual([code, expected.map((r) => r.tenantId).sort()]);
  }
  for (const order of ['asc', 'desc']) {
    let cursor: string | null = null;
    let seen = 0;
    do {
      const res: HttpResult = await staff.get(
        `/api/staff/integrations?q=${q}&sort=problems&order=${order}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      cursor = res.body.nextCursor;
      const row: Row = res.body.items[0];
      if (cursor) {
        const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))[2];
        expect([row.tenantName, Number(key)]).toEqual([row.tenantName, counted(row)]);
      }
    } while (cursor && ++seen < 20);
  }
  // The setup page lists the same problems, most severe first.
  const sorted = (ps: unknown[]) => ps.map((p) => JSON.stringify(p)).sort();
  for (const row of all) {
    const setup = await staff.get(`/api/tenants/${row.tenantId}/intercom`);
    expect([row.tenantName, sorted(row.problems)]).toEqual([row.tenantName, sorted(setup.body.problems)]);
  }
  return all;
}

test('every problem filter agrees with the problems each row shows (the SQL rules are setupStatus)', async () => {
  const all = await expectAgreement(tag);
  expect(all).toHaveLength(5);
});

test('declared platforms, a short token lifetime, a broken connection and autoRotate: SQL and setupStatus agree', async () => {
  const staff = await t.staff();
  const rtag = `rul${randomUUID().slice(0, 6)}`;
  const name = async (c: ConnectedTenant, n: string) =>
    expect((await staff.patch(`/api/tenants/${c.tenantId}`, { name: `${rtag} ${n}` })).status).toBe(200);
  const settings = async (c: ConnectedTenant, body: object) =>
    expect((await c.admin.patch(`/api/tenants/${c.tenantId}/intercom/settings`, body)).status).toBe(200);
  const protect = (c: ConnectedTenant, p: string) =>
    c.admin.put(`/api/tenants/${c.tenantId}/intercom/platforms/${p}`, { securityEnabled: true });
  // Ships web only, protected: iOS and Android being off is no problem. 120 s is just long enough.
  const webOnly = await connectedTenant(t, { ttl: 120 });
  await settings(webOnly, { declaredPlatforms: ['web'] });
  await protect(webOnly, 'web');
  await name(webOnly, 'Web only');
  // Ships web and iOS, only web protected: iOS is off; Android is not shipped.
  const webIos = await connectedTenant(t);
  await settings(webIos, { declaredPlatforms: ['ios', 'web'] });
  await protect(webIos, 'web');
  await name(webIos, 'Web and iOS');
  // JWT tokens living 90 s expire before the web Messenger may take the next one.
  await name(await connectedTenant(t, { ttl: 90 }), 'Short');
  // The throttle rule is JWT's: HMAC with the same lifetime has only its own warning.
  await name(await connectedTenant(t, { mode: 'hmac', ttl: 90 }), 'Short HMAC');
  // Connected to Intercom with autoRotate on, then the token is revoked: Intercom answers 401.
  const broken = await connectedTenant(t);
  const base = `/api/tenants/${broken.tenantId}/intercom`;
  const ws = { id_code: broken.appId, name: `${rtag} workspace`, region: 'US', identity_verification: true };
  const token = intercom.issue(ws);
  expect((await broken.admin.put(`${base}/connection`, { accessToken: token })).status).toBe(200);
  await settings(broken, { autoRotate: true, declaredPlatforms: ['android'] });
  await protect(broken, 'android');
  await name(broken, 'Broken');
  intercom.revoke(token);
  expect((await broken.admin.get(`${base}/connection`)).body.broken).not.toBeNull();

  const rows = await expectAgreement(rtag);
  const row = (n: string) => rows.find((r) => r.tenantName === `${rtag} ${n}`)!;
  const codes = (n: string) => row(n).problems.map((p) => (p.platform ? `${p.code}:${p.platform}` : p.code));
  expect(codes('Web only')).toEqual(['platform_no_traffic:web']);
  expect(codes('Web and iOS')).toEqual(['platform_no_traffic:web', 'platform_off:ios']);
  expect(codes('Short')).toEqual([
    'platform_off:web',
    'platform_off:ios',
    'platform_off:android',
    'ttl_under_update_throttle',
  ]);
  expect(codes('Short HMAC')).not.toContain('ttl_under_update_throttle');
  expect(codes('Broken')).toEqual(['intercom_connection_broken', 'platform_no_traffic:android']);
  expect(rows.map((r) => [r.tenantName.replace(`${rtag} `, ''), r.autoRotate])).toEqual([
    ['Broken', true],
    ['Short', false],
    ['Short HMAC', false],
    ['Web and iOS', false],
    ['Web only', false],
  ]);
  const filter = async (problem: string) =>
    names({ items: (await staff.get(`/api/staff/integrations?q=${rtag}&problem=${problem}`)).body.items }).map((n) =>
      n.replace(`${rtag} `, ''),
    );
  expect(await filter('platform_off')).toEqual(['Short', 'Short HMAC', 'Web and iOS']);
  expect(await filter('ttl_under_update_throttle')).toEqual(['Short']);
  expect(await filter('intercom_connection_broken')).toEqual(['Broken']);
  const byProblems = await staff.get(`/api/staff/integrations?q=${rtag}&sort=problems&order=asc`);
  expect(byProblems.body.items.map((r: Row) => counted(r))).toEqual([0, 1, 1, 4, 4]);

  // The export carries the autoRotate column and names the new problems as the chips do.
  const csv = (await staff.get(`/api/staff/integrations/export.csv?q=${rtag}&sort=name`)).body as string;
  const lines = csv.split('\r\n').filter(Boolean);
  const column = lines[0]!.split(',').indexOf('auto_rotate');
  expect(lines[0]).toMatch(/,rotation_status,auto_rotate,/);
  const brokenLine = lines.find((l) => l.startsWith(broken.tenantId))!;
  expect(brokenLine.split(',')[column]).toBe('on');
  expect(lines.find((l) => l.includes(`${rtag} Web only,`))!.split(',')[column]).toBe('off');
  expect(brokenLine).toMatch(/,Intercom disconnected; No traffic · Android$/);
  expect(lines.find((l) => l.includes(`${rtag} Short,`))).toMatch(
    /Platform off · Web, iOS, Android; Lifetime too short"$/,
  );

  // Reconnecting clears the problem in the overview at once (the connection's trigger).
  expect((await broken.admin.put(`${base}/connection`, { accessToken: intercom.issue(ws) })).status).toBe(200);
  expect(await filter('intercom_connection_broken')).toEqual([]);
  await settings(broken, { autoRotate: false });
  const after = (await staff.get(`/api/staff/integrations?q=${rtag}&problem=platform_no_traffic`)).body.items;
  expect(after.find((r: Row) => r.tenantId === broken.tenantId).autoRotate).toBe(false);
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
  const sumToday = async (tenantId: string | null) => {
    const [row] = await t.db.query(
      `SELECT sum(count)::int AS n FROM token_usage
        WHERE (hour AT TIME ZONE 'UTC')::date = (now() AT TIME ZONE 'UTC')::date AND platform = 'android'
          AND ($1::uuid IS NULL OR tenant_id = $1::uuid)`,
      [tenantId],
    );
    return row?.n ?? 0;
  };
  const chartToday = async () => {
    const res = await staff.get('/api/staff/token-usage?days=3');
    expect(res.status).toBe(200);
    return res.body.series.android[2];
  };
  // The chart and the hourly rows read together: other test files issue Android tokens too, so the
  // two are compared only when no flush landed between the reads (the sum of a day only grows).
  const chartAndRows = async () => {
    for (let i = 0; ; i++) {
      const rows = await sumToday(null);
      const chart = await chartToday();
      if ((await sumToday(null)) === rows || i === 20) return { chart, rows };
    }
  };
  const before = await chartAndRows();
  expect(before.chart).toBe(before.rows);
  const mineBefore = await sumToday(ids.healthy);
  // New hourly rows (insert) and more tokens in an existing hour (update) both reach the rollup.
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++)
      await t
        .client(null)
        .post('/v1/intercom/token', { user_id: `u${j}`, platform: 'android' }, { authorization: `Bearer ${usageKey}` });
    await t.app.get(UsageCounterService).flush();
  }
  expect(await sumToday(ids.healthy)).toBe(mineBefore + 4);
  const after = await chartAndRows();
  expect(after.chart).toBeGreaterThanOrEqual(before.chart + 4);
  expect(after.chart).toBe(after.rows);
});
