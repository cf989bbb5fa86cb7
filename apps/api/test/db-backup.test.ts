import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runCliCaptured } from './cli-runner';
import { TEST_KEYRING } from './harness';

/**
 * db:backup and db:restore with the real pg_dump/pg_restore against the run's real database.
 * CI installs them (.ci/run); elsewhere, without them, only the missing-tool message is tested.
 */
const hasTools = spawnSync('pg_dump', ['--version']).status === 0;
const withTools = hasTools || process.env.CI ? test : test.skip;
if (!withTools && !process.env.CI) process.stderr.write('db-backup: pg_dump is not on PATH; backup tests skipped.\n');

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'mv-backup-'));
const serverUrl = () => process.env.MV_TEST_SERVER_URL!;
const cli = (argv: string[], env: Record<string, string> = {}) =>
  runCliCaptured(argv, { VAULT_KEYRING: TEST_KEYRING, ...env });

async function admin<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const created: string[] = [];
afterAll(async () => {
  for (const name of created)
    await admin(serverUrl(), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});

/** A new, empty database on the test server; its URL. */
async function emptyDatabase(): Promise<string> {
  const name = `mv_restore_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await admin(serverUrl(), (c) => c.query(`CREATE DATABASE "${name}"`));
  created.push(name);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

const count = (url: string, table: string) =>
  admin(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));

const MARKER = `backup marker ${process.pid}-${Date.now()}`;
let backup: string;
beforeAll(async () => {
  if (!hasTools) return;
  backup = join(dir, 'vault.dump');
  await admin(process.env.DATABASE_URL!, (c) => c.query(`INSERT INTO tenants (name) VALUES ($1)`, [MARKER]));
  const run = await cli(['db:backup', '--out', backup]);
  if (run.code !== 0) throw new Error(run.err);
});

withTools(
  'db:backup writes a custom-format archive with mode 0600 and says the keyring is backed up separately',
  async () => {
    expect(readFileSync(backup).subarray(0, 5).toString()).toBe('PGDMP');
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    const again = await cli(['db:backup', '--out', backup]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists; backups never overwrite a file/);
    const other = join(dir, 'second.dump');
    const { code, out } = await cli(['db:backup', '--out', other]);
    expect(code).toBe(0);
    expect(out).toMatch(/Backed up database "mv_test_\w+" to .*second\.dump \([\d.]+ (KiB|MiB), mode 0600\)/);
    expect(out).toMatch(/back up the master keyring separately/);
    expect(out).not.toContain(TEST_KEYRING.split(':')[1]);
  },
);

withTools(
  'db:restore brings every row back into an empty database, and refuses a non-empty one without --force',
  async () => {
    const target = await emptyDatabase();
    const first = await cli(['db:restore', '--in', backup], { DATABASE_URL: target });
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Restored .*vault\.dump into database "mv_restore_\w+" \(\d+ tables\)/);
    for (const table of ['tenants', 'secret_versions', 'api_keys', 'audit_events', 'schema_migrations'])
      expect(await count(target, table)).toBeGreaterThanOrEqual(
        Math.min(1, await count(process.env.DATABASE_URL!, table)),
      );
    expect(await count(target, 'schema_migrations')).toBe(await count(process.env.DATABASE_URL!, 'schema_migrations'));
    const marker = await admin(target, (c) => c.query(`SELECT 1 FROM tenants WHERE name = $1`, [MARKER]));
    expect(marker.rowCount).toBe(1);

    const refused = await cli(['db:restore', '--in', backup], { DATABASE_URL: target });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/is not empty \(\d+ tables\).*add --force to replace everything in it/);

    await admin(target, (c) => c.query(`INSERT INTO tenants (name) VALUES ('only in the target')`));
    const forced = await cli(['db:restore', '--in', backup, '--force'], { DATABASE_URL: target });
    expect(forced.code).toBe(0);
    const names = await admin(target, async (c) => (await c.query(`SELECT name FROM tenants`)).rows.map((r) => r.name));
    expect(names).not.toContain('only in the target');
  },
);

withTools('db:restore refuses while another client (a running API) is connected to the database', async () => {
  const target = await emptyDatabase();
  const api = new Client({ connectionString: target });
  await api.connect();
  try {
    const { code, err } = await cli(['db:restore', '--in', backup], { DATABASE_URL: target });
    expect(code).toBe(1);
    expect(err).toMatch(/1 other connection\(s\) are open to database "mv_restore_\w+" \(is the API running\?\)/);
  } finally {
    await api.end();
  }
  expect(
    await admin(
      target,
      async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n,
    ),
  ).toBe(0);
});

test('db:restore refuses a file that is not a backup, before touching the database', async () => {
  const junk = join(dir, 'notes.txt');
  writeFileSync(junk, 'not a dump');
  const { code, err } = await cli(['db:restore', '--in', junk]);
  expect(code).toBe(1);
  expect(err).toMatch(/is not a backup written by db:backup/);
  expect((await cli(['db:restore'])).err).toMatch(/--in <file> is required/);
});

test('without pg_dump on PATH, db:backup says in one line how to install it, and writes nothing', async () => {
  const out = join(dir, 'never.dump');
  const { code, err } = await cli(['db:backup', '--out', out], { PATH: '/nonexistent' });
  expect(code).toBe(1);
  expect(err.trim().split('\n')).toHaveLength(1);
  expect(err).toMatch(
    /pg_dump \(PostgreSQL 15 or newer\) is not on PATH; install it: on Debian or Ubuntu `apt-get install postgresql-client-15`/,
  );
  expect(existsSync(out)).toBe(false);
});
