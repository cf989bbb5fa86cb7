// bench/memory: does anonymous junk grow the API's memory? 200,000 requests with random API keys
// (POST /v1/intercom/token) and random tenant ids (POST /v1/intercom/token/exchange) against the
// real API, as npm start runs it. Each one is a cache miss by construction. Heap (after a full
// GC) and RSS are read in the API process after a warm-up of the same traffic (the baseline,
// same run) and after the run; the growth between the two is the figure. Target: < 50 MB.
//   npm run bench:memory            (REQUESTS=200000 CONNECTIONS=20 to change the run)
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const REQUESTS = Number(process.env.REQUESTS ?? 200_000);
const WARMUP = Number(process.env.WARMUP ?? 1_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const TARGET_MB = 50;
const log = (line) => process.stdout.write(`${line}\n`);
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

function startApi(env) {
  const args = [
    '--expose-gc',
    '--require',
    join(here, 'report-memory.cjs'),
    join(root, 'apps/api/dist/apps/api/src/main.js'),
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = [];
  child.stdout.on('data', (d) => {
    output += d;
    for (const line of String(d).split('\n')) {
      if (line.startsWith('BENCH_MEMORY ')) waiters.shift()?.(JSON.parse(line.slice(13)));
    }
  });
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`api not ready in 180 s:\n${output}`)), 180_000);
    const poll = setInterval(() => {
      if (!output.includes('Messenger Vault is running at')) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        memory: () =>
          new Promise((done) => {
            waiters.push(done);
            child.kill('SIGUSR2');
          }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      });
    }, 100);
    child.on('exit', (code) => reject(new Error(`api exited with ${code}:\n${output}`)));
  });
}

const randomKey = () => `mvk_${randomBytes(12).toString('hex').slice(0, 12)}_${randomBytes(32).toString('base64url')}`;

/** Half random API keys, half random tenant ids, every request different. */
async function junk(base, amount) {
  let n = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          n += 1;
          return n % 2
            ? {
                ...req,
                path: '/v1/intercom/token',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${randomKey()}` },
                body: '{"user_id":"42","platform":"web"}',
              }
            : {
                ...req,
                path: '/v1/intercom/token/exchange',
                headers: { 'content-type': 'application/json', authorization: 'Bearer x.y.z' },
                body: JSON.stringify({ tenant_id: randomUUID(), platform: 'web' }),
              };
        },
      },
    ],
  });
  return {
    total: result.requests.total,
    rps: result.requests.average,
    errors: result.errors + result.timeouts,
    statuses: result.statusCodeStats,
  };
}

log(`bench/memory — ${REQUESTS} requests with random API keys and tenant ids, ${CONNECTIONS} connections`);
spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), 'api'], { stdio: 'inherit' });
const dataDir = mkdtempSync(join(tmpdir(), 'mv-bench-mem-'));
chmodSync(dataDir, 0o755);
const port = 34000 + Math.floor(Math.random() * 1000);
const api = await startApi({
  DATABASE_URL: process.env.DATABASE_URL ?? '',
  DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  EMBEDDED_PG_PORT: String(44000 + Math.floor(Math.random() * 1000)),
  ADMIN_EMAIL: 'bench@example.com',
  ADMIN_PASSWORD: 'bench-password-123',
  NODE_ENV: 'production',
  REMINDER_CRON: 'off',
  LOG_LEVEL: 'warn',
  VAULT_KEYRING_FILE: '',
  VAULT_KEYRING: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
  // The per-IP failure limit would answer 429 before any cache is touched; off, every request
  // reaches the caches (the worst case for memory).
  EXCHANGE_FAILURES_PER_IP_PER_MINUTE: '0',
});
try {
  const base = `http://127.0.0.1:${port}`;
  await junk(base, WARMUP);
  const before = await api.memory();
  const started = Date.now();
  const run = await junk(base, REQUESTS);
  const seconds = (Date.now() - started) / 1000;
  const after = await api.memory();
  const heap = after.heapUsed - before.heapUsed;
  const rss = after.rss - before.rss;
  log('');
  log(
    `requests: ${run.total} in ${seconds.toFixed(0)} s (${run.rps.toFixed(0)} req/s), errors ${run.errors}, statuses ${JSON.stringify(Object.fromEntries(Object.entries(run.statuses).map(([k, v]) => [k, v.count])))}`,
  );
  log('');
  log('| | heap used MB | RSS MB |');
  log('|---|---:|---:|');
  log(`| baseline (after ${WARMUP} warm-up requests, GC) | ${mb(before.heapUsed)} | ${mb(before.rss)} |`);
  log(`| after ${run.total} more (GC) | ${mb(after.heapUsed)} | ${mb(after.rss)} |`);
  log(`| growth | ${mb(heap)} | ${mb(rss)} |`);
  log('');
  const worst = Math.max(heap, rss);
  log(`growth ${mb(worst)} MB (target < ${TARGET_MB} MB)   ${worst < TARGET_MB * 1024 * 1024 ? 'met' : 'NOT met'}`);
} finally {
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
