import { join } from 'node:path';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../database/embedded-postgres';

export interface OpenDatabase {
  dataSource: DataSource;
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/** DATABASE_URL when given; otherwise a real embedded PostgreSQL kept under DATA_DIR/postgres. */
export async function openDatabase(config: AppConfig, logger: Logger): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    const dir = join(config.dataDir, 'postgres');
    logger.info({ dir, port: config.embeddedPgPort }, 'DATABASE_URL is unset: starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({
      dir,
      port: config.embeddedPgPort,
      database: 'messenger_vault',
      persistent: true,
      onLog: (line) => line && logger.debug({ component: 'postgres' }, line),
    });
    url = embedded.url;
  }
  const dataSource = createDataSource(url, config.databasePoolSize);
  try {
    await dataSource.initialize();
  } catch (err) {
    await embedded?.stop();
    const reason =
      err instanceof Error ? err.message.replace(/postgres(ql)?:\/\/[^@\s]*@/g, 'postgres://***@') : String(err);
    throw new Error(`Could not connect to PostgreSQL: ${reason}. Check DATABASE_URL and that the server is running.`, {
      cause: err,
    });
  }
  return {
    dataSource,
    embedded,
    close: async () => {
      await dataSource.destroy().catch(() => undefined);
      await embedded?.stop();
    },
  };
}
