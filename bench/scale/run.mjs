// `npm run bench:scale`: the staff screens and jobs with 100,000 tenants on one database.
// Starts the product as it runs (`npm start`, embedded PostgreSQL unless DATABASE_URL is set),
// measures the token endpoint on the empty database, seeds 100,000 tenants, 150,000 secret
// versions, 2,000,000 hourly usage rows and 1,000,000 audit events inside PostgreSQL
// (seed.mjs), then times the staff overview, its CSV export, the audit list, the usage chart,
// the reminder scan and the token endpoint again, and prints p50/p95, the API's peak RSS and
// PASS/FAIL per target. Before/after figures for the indexes and queries issue 16 changed are
// measured in the same run (docs/decisions/0046). Not run in CI: it takes several minutes.
//   REQUESTS=30 (per scenario)  TOKEN_SECONDS=8  CONNECTIONS=20
// While working on one measurement (seeding alone takes minutes):
//   BENCH_DATA_DIR=/tmp/mv-scale  keeps the server's data (the embedded PostgreSQL) there instead
//     of a temporary directory, and reuses it next time: a database that already holds the
//     seeded tenants is not seeded again (its usage rows keep the hours they were seeded at, so
//     "last 24 hours" thins out as the hours pass; reseed with a new directory). Migrations of
//     the code under test run on it at start.
//   ONLY=overview,csv  runs only these groups of: token, overview, csv, audit, chart, reminders
//     (and the SQL before/after lines with the group they belong to).
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED, seedStatements } from './seed.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'apps/api/package.json'));
const { Client } = require('pg');
const REQUESTS = Number(process.env.REQUESTS ?? 30);
const TOKEN_SECONDS = Number(process.env.TOKEN_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const MB = 1024 * 1024;
const GROUPS = ['token', 'overview', 'csv', 'audit', 'chart', 'reminders'];
const only = (process.env.ONLY ?? GROUPS.join(',')).split(',').map((g) => g.trim());
for (const g of only) if (!GROUPS.includes(g)) throw new Error(`ONLY: unknown group ${g} (${GROUPS.join(', ')})`);
const runs = (group) => only.includes(group);
const log = (line = '') => process.stdout.write(`${line}\n`);
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

// ---- the server, as `npm start` runs it ----------------------------------------------------

const keepData = Boolean(process.env.BENCH_DATA_DIR);
const dataDir = keepData ? process.env.BENCH_DATA_DIR : mkdtempSync(join(tmpdir(), 'mv-bench-scale-'));
if (keepData) mkdirSync(dataDir, { recursive: true });
chmodSync(dataDir, 0o755);
const port = 34000 + Math.floor(Math.random() * 1000);
// A kept data directory keeps its embedded PostgreSQL's port too (it is written into its config).
const pgPort = keepData ? 44999 : 44000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? '',
  DATA_DIR: dataDir,
  PORT: String(port),
  EMBEDDED_PG_PORT: String(pgPort),
  ADMIN_EMAIL: 'bench@example.com',
  ADMIN_PASSWORD: 'bench-password-123',
  NODE_ENV: 'production',
  REQUIRE_STAFF_MFA: 'false',
  // The bench runs the scan itself, timed; the hourly tick must not run beside it.
  REMINDER_CRON: 'off',
  VAULT_KEYRING_FILE: '',
  VAULT_KEYRING: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
  TOKEN_RATE_LIMIT_PER_MINUTE: '1000000000',
  LOG_LEVEL: 'warn',
};
const dbUrl = process.env.DATABASE_URL || `postgres://postgres:embedded@localhost:${pgPort}/messenger_vault`;

function startServer() {
  const child = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start not ready in 300 s:\n${output}`)), 300_000);
    const onData = (d) => {
      output += d;
      if (output.includes('Messenger Vault is running at')) {
        clearTimeout(timer);
        // `npm start` execs node: the API is npm's child.
        const apiPid = Number(
          spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
            .stdout.trim()
            .split(/\s+/)[0],
        );
        resolve({
          apiPid,
          stop: () =>
            new Promise((done) => {
              child.once('exit', done);
              process.kill(-child.pid, 'SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`)));
  });
}

/** The API process's resident memory, sampled every 10 ms while `fn` runs. */
function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
async function withPeakRss(pid, fn) {
  const before = rssOf(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
  try {
    const result = await fn();
    return { result, before, peak: Math.max(peak, rssOf(pid)) };
  } finally {
    clearInterval(timer);
  }
}

// ---- HTTP -----------------------------------------------------------------------------------

let cookie = '';
async function call(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { origin: base, 'content-type': 'application/json', cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
  return res.json();
}

async function provision() {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { origin: base, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password-123' }),
  });
  cookie = login.headers.getSetCookie()[0].split(';')[0];
  const tenant = await call('POST', '/api/tenants', { name: 'Bench tenant' });
  await call('PUT', `/api/tenants/${tenant.id}/intercom/app-id`, { appId: 'benchscale1' });
  await call('PUT', `/api/tenants/${tenant.id}/intercom/secret`, { secret: 'bench-messenger-secret-0123456789' });
  const key = await call('POST', `/api/tenants/${tenant.id}/api-keys`, { name: 'bench' });
  return key.key;
}

async function tokenThroughput(apiKey) {
  const run = (duration) =>
    autocannon({
      url: `${base}/v1/intercom/token`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ user_id: 'user-12345', email: 'user@example.com', platform: 'web' }),
      connections: CONNECTIONS,
      duration,
    });
  await run(2);
  const r = await run(TOKEN_SECONDS);
  if (r.non2xx + r.errors + r.timeouts > 0)
    throw new Error(`token endpoint: ${r.non2xx} non-2xx of ${r.requests.total}`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

/** `REQUESTS` sequential GETs (after 3 discarded warm-ups) of the paths `next()` yields. */
async function latency(pid, next, count = REQUESTS) {
  for (let i = 0; i < 3; i++) await call('GET', await next(i));
  const times = [];
  const { before, peak } = await withPeakRss(pid, async () => {
    for (let i = 0; i < count; i++) {
      const path = await next(i);
      const start = process.hrtime.bigint();
      await call('GET', path);
      times.push(ms(start));
    }
  });
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), peak, growth: peak - before };
}

// ---- direct SQL timings (before/after of an index or query) ---------------------------------

async function sqlTime(db, text, params = [], runs = 5) {
  await db.query(text, params);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await db.query(text, params);
    times.push(ms(start));
  }
  times.sort((a, b) => a - b);
  return quantile(times, 0.5);
}

/** The same statement with `undo` applied in a transaction that is rolled back afterwards. */
async function sqlTimeWithout(db, undo, text, params = []) {
  await db.query('BEGIN');
  try {
    await db.query(undo);
    return await sqlTime(db, text, params);
  } finally {
    await db.query('ROLLBACK');
  }
}

// ---- the run --------------------------------------------------------------------------------

const rows = [];
const row = (name, target, figures, pass) => rows.push({ name, target, figures, pass });
const fmt = (x) => `${x.toFixed(1)} ms`;

log('bench:scale: building and starting `npm start` ...');
spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), 'api'], { stdio: 'inherit' });
const server = await startServer();
const db = new Client({ connectionString: dbUrl });
try {
  await db.connect();
  const apiKey = await provision();
  const seeded = Number((await db.query(`SELECT count(*) AS n FROM tenants`)).rows[0].n) >= SEED.tenants;
  let emptyTokens = null;
  if (runs('token') && !seeded) {
    log(`token endpoint, empty database: ${TOKEN_SECONDS} s, ${CONNECTIONS} connections ...`);
    emptyTokens = await tokenThroughput(apiKey);
  }

  let seedSeconds = null;
  if (seeded) log(`reusing the database seeded in ${dataDir} (BENCH_DATA_DIR)`);
  else {
    log('seeding (INSERT ... SELECT generate_series inside PostgreSQL) ...');
    const [{ master_key_id: master }] = (
      await db.query(`SELECT master_key_id FROM vault_master_keys ORDER BY created_at DESC LIMIT 1`)
    ).rows;
    const seedStart = process.hrtime.bigint();
    for (const [label, text, params] of seedStatements(master)) {
      const start = process.hrtime.bigint();
      for (const statement of params ? [text] : text.split(/;\s*\n/)) await db.query(statement, params ?? []);
      log(`  ${label}: ${(ms(start) / 1000).toFixed(1)} s`);
    }
    seedSeconds = ms(seedStart) / 1000;
    log(`  seeded in ${seedSeconds.toFixed(0)} s`);
  }
  const counts = (
    await db.query(`SELECT (SELECT count(*) FROM tenants) AS tenants, (SELECT count(*) FROM secret_versions) AS versions,
                           (SELECT count(*) FROM token_usage) AS usage, (SELECT count(*) FROM audit_events) AS audit`)
  ).rows[0];
  log(`  rows: ${JSON.stringify(counts)}`);
  if (seedSeconds !== null) row('seed', '< 180 s', `${seedSeconds.toFixed(0)} s`, seedSeconds < 180);

  const pid = server.apiPid;
  log('measuring ...');
  const O = '/api/staff/integrations';
  const problem = 'rotation_overdue';
  if (runs('overview')) {
    for (const sort of ['name', 'rotationDueAt', 'lastTokenAt', 'tokensLast24h', 'problems']) {
      for (const order of ['asc', 'desc']) {
        const r = await latency(pid, () => `${O}?problem=${problem}&sort=${sort}&order=${order}&limit=100`);
        row(
          `overview p=${problem} sort=${sort} ${order}`,
          'p95 < 100 ms',
          `p50 ${fmt(r.p50)} p95 ${fmt(r.p95)}`,
          r.p95 < 100,
        );
      }
    }
    const unfiltered = await latency(pid, () => `${O}?limit=100`);
    row(
      'overview first page, no filter',
      'p95 < 100 ms',
      `p50 ${fmt(unfiltered.p50)} p95 ${fmt(unfiltered.p95)}`,
      unfiltered.p95 < 100,
    );
    const search = await latency(pid, (i) => `${O}?q=${['acme', 'glob', 'wonka', 'pied p'][i % 4]}&limit=100`);
    row(
      'overview search by name prefix',
      'p95 < 100 ms',
      `p50 ${fmt(search.p50)} p95 ${fmt(search.p95)}`,
      search.p95 < 100,
    );
    // Keyset paging: each request continues from the previous page's cursor, 30 pages deep.
    let cursor = null;
    const paging = await latency(
      pid,
      async () => {
        const path = `${O}?problem=platform_off&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
        cursor = (await call('GET', path)).nextCursor;
        return `${O}?problem=platform_off&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
      },
      REQUESTS,
    );
    row(
      'overview keyset paging (page N+1)',
      'p95 < 100 ms',
      `p50 ${fmt(paging.p50)} p95 ${fmt(paging.p95)}`,
      paging.p95 < 100,
    );
  }

  // The CSV export of every tenant, streamed; RSS growth of the API while it streams.
  if (runs('csv')) {
    const csv = await withPeakRss(pid, async () => {
      const start = process.hrtime.bigint();
      const res = await fetch(`${base}${O}/export.csv`, { headers: { cookie } });
      if (!res.ok) throw new Error(`export: ${res.status}`);
      let bytes = 0;
      let lines = 0;
      let formulas = 0;
      const decoder = new TextDecoder();
      for await (const chunk of res.body) {
        bytes += chunk.length;
        const text = decoder.decode(chunk, { stream: true });
        for (const c of text) if (c === '\n') lines++;
        formulas += (text.match(/,=HYPERLINK/g) ?? []).length;
      }
      return { seconds: ms(start) / 1000, bytes, lines, formulas, type: res.headers.get('content-type') };
    });
    const csvGrowth = (csv.peak - csv.before) / MB;
    row(
      `CSV export, ${csv.result.lines - 1} rows (${(csv.result.bytes / MB).toFixed(1)} MB)`,
      '< 10 s, < 100 MB RSS growth',
      `${csv.result.seconds.toFixed(1)} s, +${csvGrowth.toFixed(1)} MB (peak ${(csv.peak / MB).toFixed(0)} MB)`,
      csv.result.seconds < 10 && csvGrowth < 100 && csv.result.lines - 1 >= SEED.tenants && csv.result.formulas === 0,
    );
  }

  if (runs('audit')) {
    let auditCursor = null;
    const audit = await latency(pid, async () => {
      const page = await call('GET', `/api/audit?limit=50${auditCursor ? `&cursor=${auditCursor}` : ''}`);
      auditCursor = page.nextCursor;
      return `/api/audit?limit=50${auditCursor ? `&cursor=${auditCursor}` : ''}`;
    });
    row('audit list page (keyset)', 'p95 < 50 ms', `p50 ${fmt(audit.p50)} p95 ${fmt(audit.p95)}`, audit.p95 < 50);
    const auditTenant = await latency(pid, async (i) => {
      const { rows: t } = await db.query(`SELECT id FROM tenants ORDER BY id OFFSET $1 LIMIT 1`, [i * 997]);
      return `/api/audit?limit=50&tenantId=${t[0].id}`;
    });
    row(
      'audit list page, one tenant',
      'p95 < 50 ms',
      `p50 ${fmt(auditTenant.p50)} p95 ${fmt(auditTenant.p95)}`,
      auditTenant.p95 < 50,
    );
  }

  if (runs('chart')) {
    const chart = await latency(pid, () => `/api/staff/token-usage?days=30`);
    row(
      'token usage chart, 30 days, all tenants',
      'p95 < 100 ms',
      `p50 ${fmt(chart.p50)} p95 ${fmt(chart.p95)}`,
      chart.p95 < 100,
    );
  }

  // The reminder scan as the CLI runs it (the API runs the same job under the leader lock).
  const reminders = [];
  for (const label of !runs('reminders') ? [] : ['first (records every reminder owed)', 'again (nothing new)']) {
    const start = process.hrtime.bigint();
    const r = spawnSync('npm', ['run', '--silent', 'cli', '--', 'reminders:run'], {
      cwd: root,
      env: { ...env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      maxBuffer: 256 * MB,
    });
    const seconds = ms(start) / 1000;
    if (r.status !== 0) throw new Error(`reminders:run: ${r.stderr.slice(-2000)}`);
    const owed = /: (\d+) new\./.exec(r.stdout)?.[1] ?? '?';
    reminders.push(seconds);
    row(`reminder scan, ${label}: ${owed} recorded`, '< 10 s', `${seconds.toFixed(1)} s`, seconds < 10);
  }

  if (emptyTokens) {
    log(`token endpoint, loaded database ...`);
    const loadedTokens = await tokenThroughput(apiKey);
    const ratio = loadedTokens.rps / emptyTokens.rps;
    row(
      'token endpoint, loaded / empty',
      '>= 0.9 (unchanged)',
      `${loadedTokens.rps.toFixed(0)} / ${emptyTokens.rps.toFixed(0)} req/s = ${ratio.toFixed(2)} (p99 ${loadedTokens.p99} / ${emptyTokens.p99} ms)`,
      ratio >= 0.9,
    );
  }

  // Before/after of what issue 16 changed, timed in SQL on this data (median of 5).
  const chartSql = `SELECT to_char(date_trunc('day', hour AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, platform, sum(count)
                      FROM token_usage WHERE hour >= now() - interval '30 days' GROUP BY 1, 2`;
  const before = [];
  if (runs('chart')) {
    const chartWithIndex = await sqlTime(db, chartSql);
    const chartBefore = await sqlTimeWithout(db, 'DROP INDEX token_usage_hour_idx', chartSql);
    const chartAfter = await sqlTime(
      db,
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, platform, count FROM token_usage_daily WHERE day >= (now() - interval '30 days')::date`,
    );
    before.push(
      `  usage chart 30 days: hourly rows ${fmt(chartBefore)} (with token_usage_hour_idx ${fmt(chartWithIndex)}), ` +
        `token_usage_daily ${fmt(chartAfter)}`,
    );
  }
  // The overview before issue 16: every tenant's facts in three queries, then built, filtered
  // and sorted in JavaScript (only the SQL part is timed here: a lower bound of the old cost).
  const oldFacts = [
    `SELECT t.id, t.name, s.app_id, v.newest_version, v.newest_created_at, v.oldest_active_at
       FROM tenants t LEFT JOIN intercom_settings s ON s.tenant_id = t.id
       LEFT JOIN LATERAL (SELECT max(version) AS newest_version, (array_agg(created_at ORDER BY version DESC))[1] AS newest_created_at,
                                 min(created_at) AS oldest_active_at
                            FROM secret_versions WHERE tenant_id = t.id AND state = 'active') v ON true
      WHERE t.archived_at IS NULL ORDER BY t.name, t.id`,
    `SELECT tenant_id, platform, security_enabled, enabled_at FROM platform_security`,
    `SELECT tenant_id, platform, sum(count) FILTER (WHERE hour > date_trunc('hour', now()) - interval '24 hours') AS last24h,
            max(last_token_at) AS last_token_at FROM token_usage GROUP BY tenant_id, platform`,
  ];
  const lastUsageSql = `SELECT tenant_id, platform, max(last_token_at) FROM token_usage GROUP BY 1, 2`;
  const latestSql = `SELECT tenant_id, web_last, ios_last, android_last FROM tenant_overview`;
  if (runs('overview')) {
    let overviewBefore = 0;
    for (const q of oldFacts) overviewBefore += await sqlTime(db, q, [], 3);
    before.push(`  overview, old per-request SQL (all tenants' facts, before JS sorting): ${fmt(overviewBefore)}`);
    before.push(
      `  last token per tenant/platform: max() over token_usage ${fmt(await sqlTime(db, lastUsageSql, [], 3))}, ` +
        `tenant_overview ${fmt(await sqlTime(db, latestSql, [], 3))}`,
    );
  }

  log('');
  log(
    `bench:scale — ${SEED.tenants.toLocaleString('en-US')} tenants, ${Number(counts.versions).toLocaleString('en-US')} secret versions, ` +
      `${Number(counts.usage).toLocaleString('en-US')} usage rows, ${Number(counts.audit).toLocaleString('en-US')} audit events; ` +
      `${REQUESTS} requests per line, API peak RSS ${(rssOf(pid) / MB).toFixed(0)} MB now`,
  );
  log('');
  log('| measurement | target | figures | result |');
  log('|---|---|---|---|');
  for (const r of rows) log(`| ${r.name} | ${r.target} | ${r.figures} | ${r.pass ? 'PASS' : 'FAIL'} |`);
  log('');
  if (before.length) {
    log('before/after (SQL only, median of 5):');
    for (const line of before) log(line);
  }
  process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
} finally {
  await db.end().catch(() => undefined);
  await server.stop();
  if (!keepData) rmSync(dataDir, { recursive: true, force: true });
}
