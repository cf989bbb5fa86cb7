// Helpers for the process chaos tests: `npm start` as a person runs it, and the process tree it makes.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../scripts/build.mjs';
import { dataDir, randomPort, root } from '../smoke/support.mjs';

// Built once here, so no test's start-up time includes a build.
build();

export { dataDir, randomPort, root };

/** A fresh data directory and ports for one app. */
export function appEnv(prefix, extra = {}) {
  const dir = dataDir(prefix);
  const env = {
    DATA_DIR: dir,
    PORT: String(randomPort(32000)),
    EMBEDDED_PG_PORT: String(randomPort(42000)),
    ADMIN_EMAIL: 'ops@example.com',
    ADMIN_PASSWORD: 'ops-password-123',
    ...extra,
  };
  return { dir, env, base: `http://localhost:${env.PORT}` };
}

/**
 * `npm start` (the real npm), or `node scripts/start.mjs` with `direct`; `ready` resolves on the
 * "running at" line. With `group`, it leads a process group of its own.
 */
export function launch(env, { direct = false, group = false } = {}) {
  const [cmd, args] = direct ? [process.execPath, [join(root, 'scripts/start.mjs')]] : ['npm', ['start']];
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, like a terminal's foreground job, to signal as a whole.
    detached: group,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 50 s:\n${output}`)), 50_000);
    child.stdout.on('data', () => {
      if (output.includes('Messenger Vault is running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before ready:\n${output}`));
    });
  });
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => output };
}

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], ppid: Number(rest[1]) };
  } catch {
    return null;
  }
}

export function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Alive and not a zombie. */
export function alive(pid) {
  const s = stat(pid);
  return s !== null && s.state !== 'Z';
}

/** The pid and all its descendants, from /proc. */
export function processTree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (!s) continue;
    if (!children.has(s.ppid)) children.set(s.ppid, []);
    children.get(s.ppid).push(Number(entry));
  }
  const tree = [];
  const walk = (p) => {
    tree.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return tree;
}

/** Every live process whose command line names this data directory (the embedded PostgreSQL's). */
export function processesUsing(dir) {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
    .map(Number)
    .filter((pid) => alive(pid) && cmdline(pid).includes(dir));
}

/** Resolves with the milliseconds until every pid is gone; rejects naming the survivors. */
export async function waitGone(pids, timeoutMs, since = Date.now()) {
  while (Date.now() - since < timeoutMs) {
    if (!pids.some(alive)) return Date.now() - since;
    await sleep(25);
  }
  const left = pids.filter(alive).map((p) => `${p} ${cmdline(p)}`);
  throw new Error(`still running after ${timeoutMs} ms:\n${left.join('\n')}`);
}

export function postmasterPid(dir) {
  const file = join(dir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null;
}

/** Milliseconds until /readyz answers `status`, polled every 50 ms. */
export async function waitReadyz(base, status, timeoutMs, since = Date.now()) {
  let last;
  while (Date.now() - since < timeoutMs) {
    last = await fetch(`${base}/readyz`).then(
      (r) => r.status,
      () => 'refused',
    );
    if (last === status) return Date.now() - since;
    await sleep(50);
  }
  throw new Error(`/readyz was ${last}, not ${status}, after ${timeoutMs} ms`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Stops an app still running at the end of a test, whatever state it is in. */
export async function cleanup(app, dir) {
  if (app && app.child.exitCode === null && app.child.signalCode === null) {
    app.child.kill('SIGTERM');
    await Promise.race([app.exited, sleep(10_000)]);
  }
  for (const pid of processesUsing(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
