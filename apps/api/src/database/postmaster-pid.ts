import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';

/** What a data directory's postmaster.pid says about the server that wrote it. */
export type ExistingServer =
  | { kind: 'none' }
  /**
   * The file is stale: its pid is gone (PostgreSQL itself then starts over it, after checking
   * that no old backend still holds the shared memory), or is now another program's (`reused`).
   */
  | { kind: 'stale'; pid: number; reused: boolean }
  /** A server on this directory whose parent is a live node process: an API or CLI running now. */
  | { kind: 'owned'; pid: number; ownerPid: number }
  /** A server on this directory that the process which started it left behind (killed, crashed). */
  | { kind: 'orphan'; pid: number }
  /** A live process we can't inspect (no /proc): treated as a running server, as before. */
  | { kind: 'unknown'; pid: number };

/** Alive and not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = readProc(pid, 'stat');
  return stat === null || !/^\d+ \(.*\) Z /s.test(stat);
}

function readProc(pid: number, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

function link(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  const stat = readProc(pid, 'stat');
  // Field 4, after the command name in parentheses (which may itself hold spaces or parentheses).
  const match = stat && /\) \S+ (\d+)/.exec(stat.slice(stat.lastIndexOf(')')));
  return match ? Number(match[1]) : null;
}

export function inspectDataDir(dir: string): ExistingServer {
  const file = join(dir, 'postmaster.pid');
  if (!existsSync(file)) return { kind: 'none' };
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return { kind: 'stale', pid, reused: false };
  if (!existsSync('/proc/self/stat')) return { kind: 'unknown', pid };
  // A postgres of this directory runs with it as its working directory.
  const cwd = link(`/proc/${pid}/cwd`);
  if (cwd === null) return { kind: 'unknown', pid };
  if (cwd !== realpathSync(dir)) return { kind: 'stale', pid, reused: true };
  const parent = parentOf(pid);
  if (parent !== null && parent > 1 && isAlive(parent) && isNodeProcess(parent))
    return { kind: 'owned', pid, ownerPid: parent };
  return { kind: 'orphan', pid };
}

/**
 * A node binary, whichever one (nvm, system): an API or CLI of ours. An orphan's parent is init
 * or a subreaper (systemd --user, tini), never node.
 */
export function isNodeProcess(pid: number): boolean {
  const exe = link(`/proc/${pid}/exe`);
  return exe !== null && /^node(js)?\d*$/.test(basename(exe));
}
