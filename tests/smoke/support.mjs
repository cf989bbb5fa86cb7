// Whole-process helpers for the smoke tests: the app as `npm start` runs it, and the CLI.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
// Below Linux's ephemeral range (32768-60999), from which outgoing connections and listen(0)
// servers take their ports: a port picked there can be taken between the pick and the listen
// (seen once: EADDRINUSE on an e2e app's port). The bases keep their relative ranges apart.
export const randomPort = (base) => 10000 + (base % 20000) + Math.floor(Math.random() * 5000);

/** A data directory the embedded PostgreSQL (its own user when we are root) can reach. */
export function dataDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

function run(script, args, env) {
  const child = spawn(process.execPath, [join(root, script), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

/** `node scripts/start.mjs`; `ready` resolves on the "running at" line. */
export function start(env) {
  const proc = run('scripts/start.mjs', [], env);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 180 s:\n${proc.output()}`)), 180_000);
    proc.child.stdout.on('data', () => {
      if (proc.output().includes('Messenger Vault is running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${proc.output()}`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      const began = Date.now();
      proc.child.once('exit', (code) => resolve({ code, ms: Date.now() - began }));
      proc.child.kill('SIGTERM');
    });
  return { ready, stop, output: proc.output };
}

/** `npm run cli -- <args>` as a process, to be awaited or killed. */
export function cli(args, env) {
  return run('scripts/run-cli.mjs', args, env);
}

/** A signed-in browser-like session against a running app. */
export async function session(base, email, password) {
  const headers = { 'content-type': 'application/json', origin: base };
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('mv_session='))
    ?.split(';')[0];
  const call = async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, cookie },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
  return { status: res.status, cookie, call };
}
