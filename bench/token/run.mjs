// bench/token: requests/s and latency of POST /v1/intercom/token on the real API, against two
// references measured in the same run. Servers are pinned to core 0, the load generator to core 1.
//   npm run bench:token            (DURATION=10 WARMUP=3 CONNECTIONS=50 to change the run)
//   ATTRIBUTES=1 npm run bench:token   the same with four signed custom attributes (decision 0043)
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const DURATION = Number(process.env.DURATION ?? 10);
const WARMUP = Number(process.env.WARMUP ?? 3);
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

async function measure(name, url, headers, body) {
  log(`  ${name}: warm-up ${WARMUP} s (discarded), then ${DURATION} s with ${CONNECTIONS} connections`);
  await load(url, headers, body, WARMUP);
  const r = await load(url, headers, body, DURATION);
  if (r.non2xx > 0)
    throw new Error(`${name}: ${r.non2xx} of ${r.total} requests failed; the figures would be meaningless`);
  return r;
}

async function provision(base) {
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
  if (ATTRIBUTES) {
    await call('PATCH', `/api/tenants/${tenant.id}/intercom/settings`, {
      customAttributes: [
        { name: 'plan', type: 'string', maxLength: 32 },
        { name: 'seats', type: 'number' },
        { name: 'trial', type: 'boolean' },
        { name: 'company_id', type: 'string' },
      ],
    });
  }
  const key = await call('POST', `/api/tenants/${tenant.id}/api-keys`, { name: 'bench' });
  return key.key;
}

const ATTRIBUTES = process.env.ATTRIBUTES === '1';
const body = JSON.stringify({ user_id: 'user-12345', email: 'user@example.com', name: 'Bench User', platform: 'web' });
// The same request with four allow-listed attributes, measured against the same API right after.
const attributesBody = JSON.stringify({
  ...JSON.parse(body),
  custom_attributes: { plan: 'pro', seats: 12, trial: false, company_id: 'c-981' },
});
const results = {};

log(`bench/token — ${hasTaskset ? 'servers on core 0, load on core 1' : 'taskset missing: not pinned'}`);
spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), 'api'], { stdio: 'inherit' });

const dataDir = mkdtempSync(join(tmpdir(), 'mv-bench-'));
chmodSync(dataDir, 0o755);
const apiPort = 32000 + Math.floor(Math.random() * 1000);
const api = await startServer(
  'api',
  join(root, 'apps/api/dist/apps/api/src/main.js'),
  {
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    DATA_DIR: dataDir,
    PORT: String(apiPort),
    EMBEDDED_PG_PORT: String(43000 + Math.floor(Math.random() * 1000)),
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench-password-123',
    NODE_ENV: 'production',
    // The bench signs in with a password only; staff MFA (on by default in production) is not what it measures.
    REQUIRE_STAFF_MFA: 'false',
    VAULT_KEYRING_FILE: '',
    VAULT_KEYRING: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
    // High enough never to refuse during the run, but the limiter still counts every request.
    TOKEN_RATE_LIMIT_PER_MINUTE: '1000000000',
  },
  'Messenger Vault is running at',
  // e.g. API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the API under this load.
  (process.env.API_NODE_ARGS ?? '').split(' ').filter(Boolean),
);
try {
  const base = `http://127.0.0.1:${apiPort}`;
  const apiKey = await provision(base);
  results['messenger-vault'] = await measure(
    'messenger-vault /v1/intercom/token',
    `${base}/v1/intercom/token`,
    { authorization: `Bearer ${apiKey}` },
    body,
  );
  if (ATTRIBUTES) {
    results['messenger-vault + 4 attributes'] = await measure(
      'messenger-vault /v1/intercom/token with custom_attributes',
      `${base}/v1/intercom/token`,
      { authorization: `Bearer ${apiKey}` },
      attributesBody,
    );
  }
} finally {
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

for (const [name, script] of [
  ['(a) express + jsonwebtoken', 'reference-express.mjs'],
  ['(b) bare fastify, fixed JSON', 'reference-fastify.mjs'],
]) {
  const port = 33000 + Math.floor(Math.random() * 1000);
  const server = await startServer(name, join(here, script), { PORT: String(port) }, 'ready');
  try {
    results[name] = await measure(name, `http://127.0.0.1:${port}/v1/intercom/token`, {}, body);
  } finally {
    await server.stop();
  }
}

const mv = results['messenger-vault'];
const a = results['(a) express + jsonwebtoken'];
const b = results['(b) bare fastify, fixed JSON'];
log('');
log('| endpoint | req/s | p50 ms | p99 ms |');
log('|---|---:|---:|---:|');
for (const [name, r] of Object.entries(results)) log(`| ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} |`);
log('');
const vsA = mv.rps / a.rps;
const vsB = mv.rps / b.rps;
log(`messenger-vault / (a): ${vsA.toFixed(2)}x   (target >= 4x)      ${vsA >= 4 ? 'met' : 'NOT met'}`);
log(`messenger-vault / (b): ${(vsB * 100).toFixed(0)}%   (target >= 40%)     ${vsB >= 0.4 ? 'met' : 'NOT met'}`);
log(`messenger-vault p99:   ${mv.p99} ms (target < 10 ms)   ${mv.p99 < 10 ? 'met' : 'NOT met'}`);
if (ATTRIBUTES) {
  const withAttributes = results['messenger-vault + 4 attributes'];
  log(`with 4 signed attributes / without: ${((withAttributes.rps / mv.rps) * 100).toFixed(0)}% (same API, same run)`);
}
