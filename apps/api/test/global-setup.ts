import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

/**
 * One real PostgreSQL per test run: embedded when DATABASE_URL is unset, else a fresh database
 * created on the given server. Migrations run once here; each test file uses fresh tenants.
 */
export default async function globalSetup(): Promise<void> {
  const runDb = `mv_test_${process.pid}_${Date.now()}`;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'mv-pg-'));
    // Below the ephemeral range (32768+), where the suites' own connections take their ports.
    const port = 20000 + Math.floor(Math.random() * 12000);
    const pg = await startEmbeddedPostgres({ dir, port, database: 'postgres', persistent: false });
    (globalThis as Record<string, unknown>).__MV_PG__ = pg;
    serverUrl = pg.url;
  }
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${runDb}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${runDb}`;
  process.env.MV_TEST_SERVER_URL = serverUrl;
  process.env.MV_TEST_DB = runDb;
  process.env.DATABASE_URL = url.toString();
  const ds = createDataSource(url.toString(), 2);
  await ds.initialize();
  await runMigrations(ds);
  await ds.destroy();
}
