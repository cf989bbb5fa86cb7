import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AppConfig } from '../config/config';
import { isAlive, isNodeProcess } from '../database/postmaster-pid';

/** A second start that would collide with a running one; its message is the whole story. */
export class AlreadyRunningError extends Error {}

interface Owner {
  pid: number;
  url: string;
}

/**
 * Refuses a second API on the same embedded data directory or the same port before anything is
 * started, with a message saying which process runs and what to do, instead of a listen error
 * after the database was opened. Releases its claim when the process exits.
 */
export async function claimInstance(config: AppConfig): Promise<void> {
  const url = config.publicUrl ?? `http://localhost:${config.port}`;
  // Only the embedded database belongs to one API; replicas on DATABASE_URL share theirs by design.
  if (!config.databaseUrl) claimDataDir(join(config.dataDir, 'messenger-vault.pid'), config.dataDir, url);
  await assertPortFree(config.port, config.host);
}

function claimDataDir(file: string, dataDir: string, url: string): void {
  mkdirSync(dataDir, { recursive: true });
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, url } satisfies Owner));
      closeSync(fd);
      process.once('exit', () => releaseDataDir(file));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    if (owner && owner.pid !== process.pid && ownerRuns(owner.pid))
      throw new AlreadyRunningError(
        `Messenger Vault is already running from ${dataDir} (pid ${owner.pid}, ${owner.url}). ` +
          `Stop it first (kill ${owner.pid}), or start this one with another DATA_DIR, PORT and EMBEDDED_PG_PORT.`,
      );
    // Left by a run that was killed: take it over.
    try {
      unlinkSync(file);
    } catch {
      // Another start removed it first; the next try settles who wins.
    }
  }
  throw new AlreadyRunningError(`Another Messenger Vault is starting from ${dataDir} right now; wait and try again.`);
}

function readOwner(file: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Owner;
    return Number.isInteger(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

/** The pid in the file is a node process still (not one that got the pid after a reboot). */
function ownerRuns(pid: number): boolean {
  if (!isAlive(pid)) return false;
  // Without /proc there is no telling; trust that it is alive.
  return !existsSync('/proc/self/exe') || isNodeProcess(pid);
}

function releaseDataDir(file: string): void {
  if (readOwner(file)?.pid === process.pid) unlinkSync(file);
}

async function assertPortFree(port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? portInUse(port) : err));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export function portInUse(port: number): AlreadyRunningError {
  return new AlreadyRunningError(
    `Port ${port} is already in use: another Messenger Vault (or another program) is listening on it. ` +
      `Stop it, or set PORT to a free port.`,
  );
}
