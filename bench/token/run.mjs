// bench/token: requests/s and latency of POST /v1/intercom/token and of the exchange endpoint on
// the real API, the first request for a key after a restart (cold caches), the cost of
// OpenTelemetry tracing when on, against three references measured in the same run. Servers are
// pinned to core 0, the load generator (and the JWKS and OTLP stand-ins) to core 1.
//   npm run bench:token     (ROUNDS=8 DURATION=2.5 WARMUP=3 CONNECTIONS=50 SETTLE=10 to change the run; BENCH_OTEL=0 skips tracing;
//                            BENCH_ONLY=/v1/intercom/token,fixed JSON measures only the targets whose names end so, e.g. to profile one)
// Besides req/s, each server's own CPU time per request is read from /proc (utime + stime over the
// measured seconds): on a shared machine req/s and p99 follow the other processes' load, while the
// CPU a request costs its server barely does, so "token / bare by CPU per request" is the figure
// that still means something when the machine is busy.
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, request } from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const DURATION = Number(process.env.DURATION ?? 2.5);
const WARMUP = Number(process.env.WARMUP ?? 3);
/** Before every round but a target's first: the connections opened again and the server busy again. */
const REWARM = 0.5;
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

// The load generator itself runs on core 1.
if (hasTaskset && !process.env.BENCH_PINNED) {
  const child = spawnSync('taskset', ['-c', '1', process.execPath, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  process.exit(child.status ?? 1);
}

const log = (line) => process.stdout.write(`${line}\n`);

function startServer(name, script, env, readyText, nodeArgs = []) {
  const cmd = hasTaskset ? 'taskset' : process.execPath;
  const args = hasTaskset ? ['-c', '0', process.execPath, ...nodeArgs, script] : [...nodeArgs, script];
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready in 180 s:\n${output}`)), 180_000);
    const onData = (d) => {
      output += d;
      if (output.includes(readyText)) {
        clearTimeout(timer);
        resolve({
          pid: child.pid,
          stop: () =>
            new Promise((done) => {
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
}

/** CPU seconds (user + system) the process used so far, or null without /proc. */
function cpuSeconds(pid) {
  try {
    // Fields after the command name's closing parenthesis; utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

async function load(url, headers, body, seconds) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx,
    total: result.requests.total,
  };
}

async function measure(name, url, headers, body, pid, first) {
  const warmUp = first ? WARMUP : REWARM;
  log(`  ${name}: warm-up ${warmUp} s (discarded), then ${DURATION} s with ${CONNECTIONS} connections`);
  await load(url, headers, body, warmUp);
  const cpuBefore = cpuSeconds(pid);
  const r = await load(url, headers, body, DURATION);
  const cpuAfter = cpuSeconds(pid);
  if (r.non2xx > 0)
    throw new Error(`${name}: ${r.non2xx} of ${r.total} requests failed; the figures would be meaningless`);
  r.cpuUs = cpuBefore === null || cpuAfter === null ? NaN : ((cpuAfter - cpuBefore) * 1e6) / r.total;
  return r;
}

async function provision(base, jwksUrl) {
  const origin = { origin: base, 'content-type': 'application/json' };
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: origin,
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password-123' }),
  });
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const call = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, { method, headers: { ...origin, cookie }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const tenant = await call('POST', '/api/tenants', { name: 'Bench tenant' });
  await call('PUT', `/api/tenants/${tenant.id}/intercom/app-id`, { appId: 'bench1' });
  await call('PUT', `/api/tenants/${tenant.id}/intercom/secret`, { secret: 'bench-messenger-secret-0123456789' });
  await call('PUT', `/api/tenants/${tenant.id}/intercom/identity-provider`, {
    issuer: 'https://idp.bench.example/',
    jwksUrl,
    audience: 'bench-web',
  });
  const key = await call('POST', `/api/tenants/${tenant.id}/api-keys`, { name: 'bench' });
  return { apiKey: key.key, tenantId: tenant.id };
}

/** The tenant's identity provider: an RS256 key pair, its JWKS served from this process. */
async function identityProvider() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const idToken = await new SignJWT({ email: 'user@example.com', email_verified: true })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setIssuer('https://idp.bench.example/')
    .setAudience('bench-web')
    .setSubject('user-12345')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  return { url: `http://127.0.0.1:${server.address().port}/jwks.json`, idToken, close: () => server.close() };
}

/** An OTLP/HTTP receiver stand-in that accepts and discards every export (bench only). */
async function otlpSink() {
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      exports += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, exports: () => exports, close: () => server.close() };
}

const SETTLE = Number(process.env.SETTLE ?? 10);
const COLD_STARTS = Number(process.env.COLD_STARTS ?? 3);
const median = (list) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)];
const ms = (list) => list.map((x) => x.toFixed(1)).join(', ');

/** The first token and exchange after a start, each followed by a second one. */
async function coldRequests(into) {
  into.token.push(await once(tokenUrl, tokenHeaders, body));
  into.warmToken.push(await once(tokenUrl, tokenHeaders, body));
  into.exchange.push(await once(exchangeUrl, exchangeHeaders, exchangeBody));
  into.warmExchange.push(await once(exchangeUrl, exchangeHeaders, exchangeBody));
}
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE * 1000));

/**
 * One request on a new connection, timed from before the connect to the last byte: node:http
 * rather than fetch, whose own per-call work (a few ms on this machine) would be counted as the
 * server's.
 */
function once(url, headers, payload) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        res.resume();
        res.once('end', () => {
          const ms = performance.now() - started;
          if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`));
          else resolve(ms);
        });
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}

const body = JSON.stringify({ user_id: 'user-12345', email: 'user@example.com', name: 'Bench User', platform: 'web' });
const results = {};
const extra = {};

log(`bench/token — ${hasTaskset ? 'servers on core 0, load on core 1' : 'taskset missing: not pinned'}`);
spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), 'api'], { stdio: 'inherit' });

const dataDir = mkdtempSync(join(tmpdir(), 'mv-bench-'));
chmodSync(dataDir, 0o755);
const apiPort = 32000 + Math.floor(Math.random() * 1000);
const apiEnv = {
  DATABASE_URL: process.env.DATABASE_URL ?? '',
  DATA_DIR: dataDir,
  PORT: String(apiPort),
  EMBEDDED_PG_PORT: String(43000 + Math.floor(Math.random() * 1000)),
  ADMIN_EMAIL: 'bench@example.com',
  ADMIN_PASSWORD: 'bench-password-123',
  // Not production: the identity provider's JWKS is served from 127.0.0.1, which production
  // refuses as a special-use address. Nothing on the token path depends on NODE_ENV.
  NODE_ENV: 'development',
  REQUIRE_STAFF_MFA: 'false',
  VAULT_KEYRING_FILE: '',
  VAULT_KEYRING: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
  // High enough never to refuse during the run, but the limiter still counts every request.
  TOKEN_RATE_LIMIT_PER_MINUTE: '1000000000',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
};
// BENCH_API_SCRIPT: another build of the API (e.g. a copy of main's dist) for a before/after in one setting.
const apiScript = process.env.BENCH_API_SCRIPT ?? join(root, 'apps/api/dist/apps/api/src/main.js');
// e.g. API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the API under this load.
const apiArgs = (process.env.API_NODE_ARGS ?? '').split(' ').filter(Boolean);
const startApi = (env = {}) =>
  startServer('api', apiScript, { ...apiEnv, ...env }, 'Messenger Vault is running at', apiArgs);

const TOKEN = 'messenger-vault /v1/intercom/token';
const EXCHANGE = 'messenger-vault /v1/intercom/token/exchange';
const TRACED = 'messenger-vault /v1/intercom/token, tracing on';
const EXPRESS = '(a) express + jsonwebtoken';
const BARE = '(b) bare fastify, fixed JSON';
const BARE_TRACED = '(b) bare fastify, during the tracing-on rounds';
const FLOOR = '(c) node:http + only the unavoidable work';
const FLOOR_KEY = `mvk_benchfloor00_${'k'.repeat(43)}`;
const ROUNDS = Number(process.env.ROUNDS ?? 8);

/**
 * Every target is measured ROUNDS times, in turn with the others, and averaged: on a shared
 * machine the load changes from minute to minute, and a ratio of two figures taken minutes
 * apart measures that change as much as the code. Short rounds (8 of 2.5 s, the same 20 s per
 * target as 2 of 10 s) put each target through the same mix of the machine's quiet and busy
 * spells, which on this machine come and go within seconds (decision 0064).
 */
const ONLY = process.env.BENCH_ONLY?.split(',');
async function rounds(targets) {
  const runs = {};
  const chosen = ONLY ? targets.filter(([name]) => ONLY.some((end) => name.endsWith(end))) : targets;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, url, headers, payload, pid] of chosen) {
      (runs[name] ??= []).push(
        await measure(`${name} (round ${round}/${ROUNDS})`, url, headers, payload, pid, round === 1),
      );
    }
  }
  for (const [name, list] of Object.entries(runs)) {
    const mean = (key) => list.reduce((sum, r) => sum + r[key], 0) / list.length;
    results[name] = {
      rps: mean('rps'),
      p50: mean('p50'),
      p99: mean('p99'),
      cpuUs: mean('cpuUs'),
      rounds: list.map((r) => r.rps),
    };
  }
}

// The references run for the whole bench, idle while they are not measured.
const references = {};
for (const [name, script] of [
  [EXPRESS, 'reference-express.mjs'],
  [BARE, 'reference-fastify.mjs'],
  [FLOOR, 'reference-floor.mjs'],
]) {
  const port = 33000 + Math.floor(Math.random() * 1000);
  const server = await startServer(name, join(here, script), { PORT: String(port), FLOOR_KEY }, 'ready');
  references[name] = { server, url: `http://127.0.0.1:${port}/v1/intercom/token`, pid: server.pid };
}

const idp = await identityProvider();
const base = `http://127.0.0.1:${apiPort}`;
const tokenUrl = `${base}/v1/intercom/token`;
const exchangeUrl = `${base}/v1/intercom/token/exchange`;
let tokenHeaders;
let exchangeBody;
const exchangeHeaders = { authorization: `Bearer ${idp.idToken}` };
try {
  // Provision, then restart: the first requests below meet empty caches and a cold JIT.
  let api = await startApi();
  try {
    const { apiKey, tenantId } = await provision(base, idp.url);
    tokenHeaders = { authorization: `Bearer ${apiKey}` };
    exchangeBody = JSON.stringify({ tenant_id: tenantId, platform: 'web' });
  } finally {
    await api.stop();
  }
  // The bench's own HTTP client is slow on its first calls, as any fresh client is: warmed on
  // reference (b), so that the first-after-restart figure is the server's.
  for (let i = 0; i < 50; i++) await once(references[BARE].url, {}, body);
  // One request is one sample of a machine whose speed changes within seconds: the first
  // requests are timed after COLD_STARTS restarts and the median is the figure (all are printed).
  const cold = { token: [], warmToken: [], exchange: [], warmExchange: [] };
  for (let start = 1; start < COLD_STARTS; start++) {
    api = await startApi();
    try {
      await coldRequests(cold);
    } finally {
      await api.stop();
    }
  }
  api = await startApi();
  try {
    await coldRequests(cold);
    for (const [name, list] of Object.entries(cold)) extra[name] = list;
    // The process's start-up work (JIT, first scheduled jobs) settles before anything is timed.
    await settle();
    await rounds([
      [TOKEN, tokenUrl, tokenHeaders, body, api.pid],
      [EXCHANGE, exchangeUrl, exchangeHeaders, exchangeBody, api.pid],
      [BARE, references[BARE].url, {}, body, references[BARE].pid],
      [FLOOR, references[FLOOR].url, { authorization: `Bearer ${FLOOR_KEY}` }, body, references[FLOOR].pid],
      [EXPRESS, references[EXPRESS].url, {}, body, references[EXPRESS].pid],
    ]);
  } finally {
    await api.stop();
  }
  if (process.env.BENCH_OTEL !== '0' && !ONLY) {
    const sink = await otlpSink();
    api = await startApi({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });
    try {
      await settle();
      await rounds([
        [TRACED, tokenUrl, tokenHeaders, body, api.pid],
        [BARE_TRACED, references[BARE].url, {}, body, references[BARE].pid],
      ]);
    } finally {
      await api.stop();
      extra.otlpExports = sink.exports();
      sink.close();
    }
  }
} finally {
  idp.close();
  rmSync(dataDir, { recursive: true, force: true });
  for (const { server } of Object.values(references)) await server.stop();
}

const mv = results[TOKEN];
const ex = results[EXCHANGE];
const traced = results[TRACED];
const a = results[EXPRESS];
const b = results[BARE];
const c = results[FLOOR];
log('');
log(`| endpoint (mean of ${ROUNDS} rounds) | req/s | p50 ms | p99 ms | server CPU µs/req | req/s per round |`);
log('|---|---:|---:|---:|---:|---|');
for (const [name, r] of Object.entries(results))
  log(
    `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.cpuUs.toFixed(1)} | ${r.rounds.map((x) => x.toFixed(0)).join(', ')} |`,
  );
log('');
log(
  `load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (${cpus().length} cores)`,
);
const pct = (x) => `${(x * 100).toFixed(0)}%`;
const verdict = (ok) => (ok ? 'met' : 'NOT met');
if (mv && a && b && ex) {
  const vsA = mv.rps / a.rps;
  const vsB = mv.rps / b.rps;
  const exVsToken = ex.rps / mv.rps;
  log(`token / (a) express:        ${vsA.toFixed(2)}x  (target >= 4x)     ${verdict(vsA >= 4)}`);
  log(`token / (b) bare fastify:   ${pct(vsB)}  (target >= 60%)      ${verdict(vsB >= 0.6)}`);
  log(
    `  the same by CPU per request (bare's µs / token's µs, what the ratio is on an idle core): ${pct(b.cpuUs / mv.cpuUs)}`,
  );
  if (c) {
    log(
      `  (c) / (b) bare fastify:    ${pct(c.rps / b.rps)}  — the ceiling on this machine for a route that must do (c)'s work (by CPU per request: ${pct(b.cpuUs / c.cpuUs)})`,
    );
    log(
      `  token / (c):               ${pct(mv.rps / c.rps)}  — what the route's checks and bookkeeping beyond (c) cost`,
    );
  }
  log(`token p99:                  ${mv.p99.toFixed(1)} ms  (target <= 5 ms)    ${verdict(mv.p99 <= 5)}`);
  log(`exchange / token:           ${pct(exVsToken)}  (target >= 50%)      ${verdict(exVsToken >= 0.5)}`);
  log(`  the same by CPU per request: ${pct(mv.cpuUs / ex.cpuUs)}`);
  log(`exchange p99:               ${ex.p99.toFixed(1)} ms`);
}
log(
  `token, first after restart: ${median(extra.token).toFixed(1)} ms, median of ${extra.token.length} starts (${ms(extra.token)}; then ${ms(extra.warmToken)})  (target < 10 ms)  ${verdict(median(extra.token) < 10)}`,
);
log(
  `exchange, first after restart: ${median(extra.exchange).toFixed(1)} ms incl. the JWKS fetch, median of ${extra.exchange.length} starts (${ms(extra.exchange)}; then ${ms(extra.warmExchange)})`,
);
if (traced) {
  log(
    `token with tracing on / off: ${pct(traced.rps / results[BARE_TRACED].rps / (mv.rps / b.rps))}  (each as a share of bare Fastify in its own rounds; p99 ${traced.p99.toFixed(1)} ms; ${extra.otlpExports} OTLP exports received)`,
  );
}
