import { Client } from 'pg';
import type { EmbeddedDatabase } from '../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__MV_PG__ as EmbeddedDatabase | undefined;
  if (pg) {
    await pg.stop();
    return;
  }
  // A shared server given by DATABASE_URL: drop this run's database.
  const server = process.env.MV_TEST_SERVER_URL;
  if (server && process.env.MV_TEST_DB) {
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${process.env.MV_TEST_DB}" WITH (FORCE)`);
    await admin.end();
  }
}
