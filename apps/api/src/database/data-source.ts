import { DataSource } from 'typeorm';
// eslint-disable-next-line import-x/no-relative-packages -- migrations/ is no workspace: it sits at the root by design and compiles into the API (apps/api/tsconfig.json includes it).
import { MIGRATIONS } from '../../../../migrations';

export function createDataSource(url: string, poolSize = 10, applicationName = 'messenger-vault'): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // No wait for a connection is unbounded: an exhausted pool or a hung server answers 503.
    // `min`: the connections opened at start stay open when idle, so the first token request
    // after a quiet spell or a restart does not pay for a connection and its SCRAM handshake.
    extra: {
      max: poolSize,
      min: Math.min(2, poolSize),
      application_name: applicationName,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    },
    logging: false,
  });
}

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK = 725_511_001;

/** Runs pending migrations; replicas starting together wait for each other on an advisory lock. */
export async function runMigrations(
  dataSource: DataSource,
  onLog: (line: string) => void = () => {},
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) onLog(`applied migration ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

export async function pendingMigrations(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}
