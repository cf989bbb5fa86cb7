import { randomUUID } from 'node:crypto';
import { UsageCounterService } from '../src/tokens/usage-counter.service';
import { HttpResult, startTestApp, TestApp } from './harness';

/**
 * The overview's search and tokensLast24h order as they scale (docs/decisions/0056): the search
 * is a substring match an index can serve, with the user's % and _ taken literally; the order
 * reads each tenant's stored 24-hour sums, which the usage flush keeps and the hourly roll moves
 * forward, and pages by keyset without skipping or repeating a row.
 */
let t: TestApp;
const tag = `osc${randomUUID().slice(0, 6)}`;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
  for (const name of ['100% sure', '1000 sure', 'a_b', 'axb', 'Pied Piper', 'Quiet'])
    ids[name] = (await t.newTenant(`${tag} ${name}`)).id;
});
afterAll(() => t.close());

const usage = (tenantId: string, platform: string, hoursAgo: number, count: number) =>
  t.db.query(
    `INSERT INTO token_usage (tenant_id, platform, hour, count, last_token_at)
     SELECT $1, $2, date_trunc('hour', now()) - $3 * interval '1 hour', $4, now() - $3 * interval '1 hour'
     ON CONFLICT (tenant_id, platform, hour) DO UPDATE SET count = token_usage.count + EXCLUDED.count`,
    [tenantId, platform, hoursAgo, count],
  );
const stored = async (tenantId: string) =>
  (
    await t.db.query(
      `SELECT web_24h::int AS web, ios_24h::int AS ios, android_24h::int AS android, tokens_24h::int AS total
         FROM tenant_overview WHERE tenant_id = $1`,
      [tenantId],
    )
  )[0];
const search = async (q: string) =>
  (await (await t.staff()).get(`/api/staff/integrations?q=${encodeURIComponent(q)}`)).body.items
    .map((r: { tenantName: string }) => r.tenantName.replace(`${tag} `, ''))
    .sort();

test('search: a substring of the name, case-insensitive, with % and _ matched literally', async () => {
  expect(await search(`${tag} 100%`)).toEqual(['100% sure']);
  expect(await search(`${tag} a_b`)).toEqual(['a_b']);
  expect(await search(`0% sure`)).toEqual(['100% sure']);
  expect(await search(`${tag} _`)).toEqual([]);
  expect(await search('IED PIP')).toContain('Pied Piper');
  expect(await search(`${tag.toUpperCase()} PIED`)).toEqual(['Pied Piper']);
});

test('search: the APP_ID in any case, but never a match spanning the name and the APP_ID', async () => {
  const staff = await t.staff();
  const res = await staff.put(`/api/tenants/${ids['axb']}/intercom/app-id`, { appId: `zq${tag}` });
  expect(res.status).toBe(200);
  expect(await search(`Q${tag.slice(0, 4).toUpperCase()}`)).toEqual(['axb']);
  expect(await search(`axb\nzq`)).toEqual([]);
});

test('search: the trigram index can serve a substring of the name or the APP_ID', async () => {
  // The test database is too small for the planner to prefer them unprompted: forbid the scan.
  const runner = t.db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN');
    await runner.query('SET LOCAL enable_seqscan = off');
    const plan = (
      await runner.query(
        `EXPLAIN SELECT tenant_id FROM tenant_overview o WHERE o.name_key || E'\n' || lower(coalesce(o.app_id, '')) LIKE $1`,
        ['%iper%'],
      )
    )
      .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toContain('tenant_overview_search_idx');
  } finally {
    await runner.query('ROLLBACK');
    await runner.release();
  }
});

test('the usage flush keeps the stored 24-hour sums, inside the setup page window only', async () => {
  const id = ids['Pied Piper']!;
  await usage(id, 'web', 0, 5);
  await usage(id, 'ios', 23, 7);
  await usage(id, 'android', 24, 11); // the hour 24 hours back is outside the window
  expect(await stored(id)).toEqual({ web: 5, ios: 7, android: 0, total: 12 });
  // More tokens in an hour already counted (an UPDATE of token_usage) are added too.
  await usage(id, 'web', 0, 2);
  expect(await stored(id)).toEqual({ web: 7, ios: 7, android: 0, total: 14 });
  const row = (await (await t.staff()).get(`/api/staff/integrations?q=${tag} pied`)).body.items[0];
  expect(row).toMatchObject({ tokensLast24h: 14 });
  expect(row.platforms.ios.tokensLast24h).toBe(7);
  expect(row.platforms.android.tokensLast24h).toBe(0);
  // The setup page counts the same window from the hourly rows.
  const setup = await (await t.staff()).get(`/api/tenants/${id}/intercom`);
  expect(setup.body.platforms.web.tokensLast24h).toBe(7);
  expect(setup.body.platforms.ios.tokensLast24h).toBe(7);
});

test('the hourly roll drops the hour that left the window from the stored sums and the order', async () => {
  const id = ids['Quiet']!;
  await t.app.get(UsageCounterService).flush(); // this hour rolled already
  await usage(id, 'web', 23, 40);
  await usage(id, 'web', 1, 3);
  expect(await stored(id)).toMatchObject({ web: 43, total: 43 });
  // An hour passes: the same rows, one hour older, with the sums computed an hour ago. Written
  // with the triggers off, as nothing happens at an hour's turn but the clock.
  await t.db.transaction(async (m) => {
    await m.query(`SET LOCAL session_replication_role = replica`);
    await m.query(`UPDATE token_usage SET hour = hour - interval '1 hour' WHERE tenant_id = $1`, [id]);
    await m.query(`UPDATE tenant_overview SET traffic_hour = traffic_hour - interval '1 hour' WHERE tenant_id = $1`, [
      id,
    ]);
  });
  expect(await stored(id)).toMatchObject({ total: 43 });
  await t.app.get(UsageCounterService).rollTraffic();
  // Still stale until the process's hour changes: rolled once an hour, not per flush.
  expect(await stored(id)).toMatchObject({ total: 43 });
  // The first flush tick of a new hour rolls.
  (t.app.get(UsageCounterService) as unknown as { rolledHour: number | null }).rolledHour = null;
  await t.app.get(UsageCounterService).flush();
  expect(await stored(id)).toEqual({ web: 3, ios: 0, android: 0, total: 3 });
  const [fresh] = await t.db.query(
    `SELECT traffic_hour = date_trunc('hour', now()) AS fresh FROM tenant_overview WHERE tenant_id = $1`,
    [id],
  );
  expect(fresh.fresh).toBe(true);
});

test('sorted by tokensLast24h, keyset pages give every row once, in order, ties by id', async () => {
  const staff = await t.staff();
  // Ties on purpose: two tenants with 9, the rest with none.
  await usage(ids['100% sure']!, 'android', 2, 9);
  await usage(ids['a_b']!, 'ios', 5, 9);
  const expected = async (order: 'asc' | 'desc') => {
    const rows: Array<{ id: string; n: number }> = (
      await t.db.query(
        `SELECT tenant_id AS id, tokens_24h::int AS n FROM tenant_overview WHERE name LIKE $1 AND NOT archived`,
        [`${tag} %`],
      )
    ).map((r: { id: string; n: number }) => r);
    const sign = order === 'asc' ? 1 : -1;
    return rows.sort((a, b) => sign * (a.n - b.n || (a.id < b.id ? -1 : 1))).map((r) => r.id);
  };
  for (const order of ['asc', 'desc'] as const) {
    const seen: string[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResult = await staff.get(
        `/api/staff/integrations?q=${tag}&sort=tokensLast24h&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((r: { tenantId: string }) => r.tenantId));
      totals.push(...res.body.items.map((r: { tokensLast24h: number }) => r.tokensLast24h));
      cursor = res.body.nextCursor;
    } while (cursor && seen.length < 20);
    expect(seen).toEqual(await expected(order));
    expect(totals).toEqual([...totals].sort((a, b) => (order === 'asc' ? a - b : b - a)));
  }
  // The export writes the same order and the same sums.
  const csv = await staff.get(`/api/staff/integrations/export.csv?q=${tag}&sort=tokensLast24h&order=desc`);
  const lines = (csv.body as string).split('\r\n').filter(Boolean);
  const column = lines[0]!.split(',').indexOf('tokens_24h');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(await expected('desc'));
  expect(lines.slice(1, 3).map((l) => l.split(',')[column])).toEqual(['14', '9']);
});

test('the export streams every row once, in order, across its cursor batches', async () => {
  // More rows than one FETCH (250) holds, inserted directly: the triggers build their overview rows.
  const btag = `bat${randomUUID().slice(0, 6)}`;
  await t.db.query(
    `INSERT INTO tenants (id, name) SELECT gen_random_uuid(), $1 || ' ' || lpad(i::text, 4, '0') FROM generate_series(1, 620) i`,
    [btag],
  );
  const csv = await (await t.staff()).get(`/api/staff/integrations/export.csv?q=${btag}&order=desc`);
  expect(csv.status).toBe(200);
  const lines = (csv.body as string).split('\r\n').filter(Boolean);
  expect(lines).toHaveLength(621);
  const names = lines.slice(1).map((l) => l.split(',')[1]);
  expect(names[0]).toBe(`${btag} 0620`);
  expect(names.at(-1)).toBe(`${btag} 0001`);
  expect(new Set(names).size).toBe(620);
  expect(names).toEqual([...names].sort().reverse());
  // Each line is the row the overview shows (same columns, same words).
  const page = await (await t.staff()).get(`/api/staff/integrations?q=${btag}&order=desc&limit=3`);
  expect(lines.slice(1, 4).map((l) => l.split(',')[0])).toEqual(
    page.body.items.map((r: { tenantId: string }) => r.tenantId),
  );
  expect(lines[1]).toBe(
    `${page.body.items[0].tenantId},${btag} 0620,,jwt,,,,none,off,off,0,,off,0,,off,0,,0,,0,"No APP_ID; No secret; Platform off · Web, iOS, Android"`,
  );
});
