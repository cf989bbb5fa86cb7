// `npm run bench:audit-verify [-- --events N] [-- --batch-size B]`: seeds N (default 200,000)
// chained audit events with real hashes, then times the real verifyAuditChain (what audit:verify
// and GET /api/audit/verify run) over all of them, and a resumed run over a 1,000-event tail.
// Baseline in the same run: one SELECT of every row at once, as a verify that loads the whole
// trail would. Each measurement runs in its own process so its peak RSS is its own.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, 'apps/api/dist/apps/api/src', path));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const EVENTS = Number(arg('events', 200_000));
const BATCH = arg('batch-size', undefined);
const TAIL = 1_000;
const INSERT_CHUNK = 5_000;
const MB = 1024 * 1024;

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

/** Child: one measurement against `url`; prints JSON with its time and RSS growth. */
async function measure(kind, url) {
  const { createDataSource } = dist('database/data-source.js');
  const { verifyAuditChain } = dist('audit/audit-chain.js');
  const { AUDIT_COLUMNS } = dist('audit/audit-chain.js');
  const db = createDataSource(url, 2);
  await db.initialize();
  await db.query('SELECT 1');
  global.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  // The longest stretch the event loop did not turn: what a request waiting behind the walk would feel.
  let lastTick = performance.now();
  let block = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    block = Math.max(block, now - lastTick);
    lastTick = now;
  }, 1);
  const start = process.hrtime.bigint();
  let result;
  if (kind === 'load-all') {
    const rows = await db.query(`SELECT ${AUDIT_COLUMNS} FROM audit_events e ORDER BY e.seq`);
    result = { valid: true, checked: rows.length };
  } else {
    result = await verifyAuditChain(db, {
      fromCheckpoint: kind === 'resume',
      ...(BATCH ? { batchSize: Number(BATCH) } : {}),
    });
  }
  const time = seconds(start);
  clearInterval(sampler);
  clearInterval(ticker);
  peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
  await db.destroy();
  process.send({ kind, time, block, growth: peak - base, valid: result.valid, checked: result.checked });
}

function child(kind, url) {
  return new Promise((resolve, reject) => {
    const c = fork(fileURLToPath(import.meta.url), ['--measure', kind, '--url', url, ...process.argv.slice(2)], {
      execArgv: ['--expose-gc', ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : [])],
    });
    let report = null;
    c.on('message', (m) => (report = m));
    c.on('exit', (code) => (report ? resolve(report) : reject(new Error(`${kind} measurement exited ${code}`))));
  });
}

/** Chained events computed here with the real hash, inserted 5,000 at a time from arrays. */
async function seed(db, from, count) {
  const { AUDIT_EVENT_COLUMNS, hashAuditEvent } = dist('audit/audit-hash.js');
  const [last] = await db.query(`SELECT hash FROM audit_events WHERE seq = $1`, [from - 1]);
  let prev = last?.hash ?? null;
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let done = 0; done < count;) {
    const n = Math.min(INSERT_CHUNK, count - done);
    const rows = [];
    for (let i = 0; i < n; i++) {
      const seq = from + done + i;
      const row = {
        id: randomUUID(),
        seq: String(seq),
        occurred_at: new Date(t0 + seq * 1000),
        actor_kind: 'system',
        actor_user_id: null,
        actor_email: null,
        tenant_id: null,
        action: 'webhook.changed',
        target_type: 'webhook',
        target_id: String(seq % 997),
        metadata: { batch: Math.floor(seq / INSERT_CHUNK), note: 'bench' },
        ip: '203.0.113.7',
        user_agent: 'bench-audit-verify',
        request_id: null,
        prev_hash: prev,
      };
      row.hash = hashAuditEvent(row);
      prev = row.hash;
      rows.push(row);
    }
    const cols = AUDIT_EVENT_COLUMNS;
    const types = {
      id: 'uuid',
      seq: 'bigint',
      occurred_at: 'timestamptz',
      actor_user_id: 'uuid',
      tenant_id: 'uuid',
      metadata: 'jsonb',
    };
    const arrays = cols.map((c, i) => `$${i + 1}::${c === 'metadata' ? 'text' : (types[c] ?? 'text')}[]`);
    const select = cols.map((c) => (c === 'metadata' ? 'u.metadata::jsonb' : `u.${c}`));
    await db.query(
      `INSERT INTO audit_events (${cols.join(', ')})
       SELECT ${select.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${cols.join(', ')})`,
      cols.map((c) => rows.map((r) => (c === 'metadata' ? JSON.stringify(r[c]) : r[c]))),
    );
    done += n;
  }
}

async function main() {
  const { build } = await import('../../scripts/build.mjs');
  build(['api'], { quiet: true });
  const { createDataSource, runMigrations } = dist('database/data-source.js');
  const { startEmbeddedPostgres } = dist('database/embedded-postgres.js');
  const dir = mkdtempSync(join(tmpdir(), 'mv-bench-audit-'));
  const pg = await startEmbeddedPostgres({
    dir,
    port: 20000 + Math.floor(Math.random() * 20000),
    database: 'bench',
    persistent: false,
  });
  const db = createDataSource(pg.url, 2);
  try {
    await db.initialize();
    await runMigrations(db);
    let start = process.hrtime.bigint();
    await seed(db, 1, EVENTS);
    await db.query('VACUUM ANALYZE audit_events');
    const seedTime = seconds(start);

    const loadAll = await child('load-all', pg.url);
    const full = await child('full', pg.url);
    await seed(db, EVENTS + 1, TAIL);
    const resume = await child('resume', pg.url);
    if (!full.valid || full.checked !== EVENTS) throw new Error(`full verify: ${JSON.stringify(full)}`);
    if (!resume.valid || resume.checked !== TAIL) throw new Error(`resumed verify: ${JSON.stringify(resume)}`);

    const mb = (b) => `${(b / MB).toFixed(1)} MB`;
    const rate = (r) => `${Math.round(r.checked / r.time).toLocaleString('en-US')} events/s`;
    console.log(
      `audit verify, ${EVENTS.toLocaleString('en-US')} events (embedded PostgreSQL, batch ${BATCH ?? 'default 5000'})`,
    );
    console.log(`  seed (hash + INSERT ... unnest, ${INSERT_CHUNK}/statement): ${seedTime.toFixed(1)} s`);
    console.log(
      `  baseline, one SELECT of every row: ${loadAll.time.toFixed(1)} s, peak RSS growth ${mb(loadAll.growth)}`,
    );
    console.log(
      `  full verify (keyset batches):      ${full.time.toFixed(1)} s (${rate(full)}), peak RSS growth ${mb(full.growth)}` +
        ` (${((full.growth / loadAll.growth) * 100).toFixed(0)}% of the baseline's), longest event-loop block ${full.block.toFixed(1)} ms` +
        ` (baseline ${loadAll.block.toFixed(1)} ms)`,
    );
    console.log(
      `  resumed verify, ${TAIL} new events: ${(resume.time * 1000).toFixed(0)} ms (${((resume.time / full.time) * 100).toFixed(2)}% of the full run)`,
    );
  } finally {
    await db.destroy().catch(() => undefined);
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--measure')) {
  await measure(arg('measure'), arg('url'));
} else {
  await main();
}
