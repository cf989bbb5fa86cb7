import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { CLI_APPLICATION_NAME, CliCommand, CliError, parseFlags } from '../cli/command';
import { findPgTool, runPgTool, serverMajor } from './pg-tools';

const KEYRING_NOTE =
  'It holds the secrets as ciphertext only: back up the master keyring separately (VAULT_KEYRING, ' +
  'VAULT_KEYRING_FILE, or DATA_DIR/vault-keyring in development) and keep the two apart. ' +
  'Without the keyring this backup cannot be decrypted.';

async function databaseName(db: DataSource): Promise<string> {
  const [row]: Array<{ name: string }> = await db.query('SELECT current_database() AS name');
  return row!.name;
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const backup: CliCommand = {
  name: 'db:backup',
  summary: 'Write a consistent backup of the whole database (pg_dump custom format, file mode 0600).',
  usage: '--out <file>',
  async run(args, ctx) {
    const flags = parseFlags(args, { out: 'string' });
    if (!flags.out) throw new CliError('--out <file> is required: where to write the backup (a new file).');
    const out = resolve(String(flags.out));
    if (existsSync(out))
      throw new CliError(`${out} already exists; backups never overwrite a file. Choose another name.`);
    if (!existsSync(dirname(out))) throw new CliError(`The folder ${dirname(out)} does not exist; create it first.`);
    const db = await ctx.db();
    const tool = findPgTool('pg_dump', await serverMajor(db));
    // Created 0600 before pg_dump writes a byte into it, and named only once complete.
    const partial = `${out}.partial-${process.pid}`;
    closeSync(openSync(partial, 'wx', 0o600));
    try {
      await runPgTool(tool, ['--format=custom', `--file=${partial}`], await ctx.databaseUrl());
      renameSync(partial, out);
    } finally {
      rmSync(partial, { force: true });
    }
    ctx.out(`Backed up database "${await databaseName(db)}" to ${out} (${size(statSync(out).size)}, mode 0600).`);
    ctx.out(KEYRING_NOTE);
  },
};

/** pg_dump's custom format starts with these bytes. */
function isCustomArchive(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    readSync(fd, head, 0, 5, 0);
    return head.toString('latin1') === 'PGDMP';
  } finally {
    closeSync(fd);
  }
}

async function userTables(db: DataSource): Promise<number> {
  const [row]: Array<{ n: number }> = await db.query(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        AND s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg\\_%'`,
  );
  return row!.n;
}

/** Restoring under a running API would mix its writes with the backup's rows. */
async function assertNobodyElseConnected(db: DataSource, name: string): Promise<void> {
  const [row]: Array<{ n: number }> = await db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> $1`,
    [CLI_APPLICATION_NAME],
  );
  if (row!.n > 0)
    throw new CliError(
      `${row!.n} other connection(s) are open to database "${name}" (is the API running?). ` +
        'Stop every API replica and command using it, then run db:restore again.',
    );
}

/** --force: everything outside PostgreSQL's own schemas goes, then an empty public schema. */
async function emptyDatabase(db: DataSource): Promise<void> {
  const schemas: Array<{ name: string }> = await db.query(
    `SELECT quote_ident(nspname) AS name FROM pg_namespace
      WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
  );
  await db.transaction(async (tx) => {
    for (const { name } of schemas) await tx.query(`DROP SCHEMA ${name} CASCADE`);
    await tx.query('CREATE SCHEMA public');
  });
}

const restore: CliCommand = {
  name: 'db:restore',
  summary: 'Restore a db:backup file into an empty database (refuses a non-empty one without --force).',
  usage: '--in <file> [--force]',
  async run(args, ctx) {
    const flags = parseFlags(args, { in: 'string', force: 'boolean' });
    if (!flags.in) throw new CliError('--in <file> is required: a file written by db:backup.');
    const file = resolve(String(flags.in));
    if (!existsSync(file)) throw new CliError(`${file} does not exist.`);
    if (!isCustomArchive(file))
      throw new CliError(`${file} is not a backup written by db:backup (pg_dump's custom format).`);
    const db = await ctx.db();
    const name = await databaseName(db);
    const tool = findPgTool('pg_restore', await serverMajor(db));
    await assertNobodyElseConnected(db, name);
    const url = await ctx.databaseUrl();
    const tables = await userTables(db);
    if (tables > 0 && !flags.force)
      throw new CliError(
        `Database "${name}" is not empty (${tables} tables). db:restore restores only into an empty database; ` +
          'add --force to replace everything in it (its current contents are lost).',
      );
    // A damaged or unreadable file fails here, before --force empties anything.
    await runPgTool(tool, ['--list', file]);
    if (tables > 0) await emptyDatabase(db);
    try {
      await runPgTool(tool, ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', file], url);
    } catch (err) {
      throw new CliError(
        `${(err as Error).message}. Nothing was restored (it runs as one transaction)` +
          (tables > 0 ? '; --force had already emptied the database.' : '.'),
      );
    }
    ctx.out(`Restored ${file} into database "${name}" (${await userTables(db)} tables).`);
    ctx.out(
      'Start the API with the master keyring in use when the backup was taken (VAULT_KEYRING or VAULT_KEYRING_FILE); ' +
        'it applies newer migrations at start.',
    );
  },
};

export const BACKUP_COMMANDS: CliCommand[] = [backup, restore];
