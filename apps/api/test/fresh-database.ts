import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '../src/database/data-source';

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A migrated database of its own, on this run's server. For tests that change which master keys
 * wrap data: in the shared database they would stop every other test file's app from starting.
 */
export async function freshDatabase(): Promise<FreshDatabase> {
  const server = process.env.MV_TEST_SERVER_URL;
  if (!server) throw new Error('MV_TEST_SERVER_URL is unset: run through jest, whose global setup sets it');
  const name = `mv_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const ds = createDataSource(url.toString(), 2);
  await ds.initialize();
  try {
    await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
  return { url: url.toString(), drop: () => onServer(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function onServer(server: string, sql: string): Promise<void> {
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
