import { join } from 'node:path';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { EmbeddedDatabase, startEmbeddedPostgres, SupervisorEvent } from '../database/embedded-postgres';
import { MAX_RESTARTS } from '../database/postmaster-supervisor';

export interface OpenDatabase {
  dataSource: DataSource;
  embedded: EmbeddedDatabase | null;
  /** The connection URL, password included: for child tools (pg_dump), never for logs. */
  url: string;
  close(): Promise<void>;
}

interface OpenOptions {
  /** The API restarts a dead embedded PostgreSQL; a CLI command just fails. */
  supervise?: boolean;
  /** Shown in pg_stat_activity; lets a command tell its own connections from others'. */
  applicationName?: string;
}

/** DATABASE_URL when given; otherwise a real embedded PostgreSQL kept under DATA_DIR/postgres. */
export async function openDatabase(
  config: AppConfig,
  logger: Logger,
  options: OpenOptions = {},
): Promise<OpenDatabase> {
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
      supervise: options.supervise ?? false,
      onLog: (line) => line && logger.debug({ component: 'postgres' }, line),
      onEvent: (event) => logSupervisorEvent(logger, event, dir),
    });
    url = embedded.url;
  }
  const dataSource = createDataSource(url, config.databasePoolSize, options.applicationName);
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
    url,
    close: async () => {
      await dataSource.destroy().catch(() => undefined);
      await embedded?.stop();
    },
  };
}

function logSupervisorEvent(logger: Logger, event: SupervisorEvent, dir: string): void {
  const log = { component: 'postgres', ...event };
  switch (event.type) {
    case 'orphan_stopped':
      return logger.warn(
        log,
        `stopped an embedded PostgreSQL (pid ${event.pid}) left running by a run that was killed`,
      );
    case 'stale_pid_removed':
      return logger.warn(log, `removed a stale postmaster.pid naming pid ${event.pid}, which is another program now`);
    case 'exited':
      return logger.error(log, `the embedded PostgreSQL exited unexpectedly (${event.signal ?? `code ${event.code}`})`);
    case 'restarting':
      return logger.warn(
        log,
        `restarting the embedded PostgreSQL in ${event.delayMs} ms (attempt ${event.attempt} of ${MAX_RESTARTS})`,
      );
    case 'restart_failed':
      return logger.error(log, `restarting the embedded PostgreSQL failed: ${event.error}`);
    case 'restarted':
      return logger.warn(log, `the embedded PostgreSQL is running again (pid ${event.pid}, down ${event.downMs} ms)`);
    case 'gave_up':
      return logger.fatal(
        log,
        `the embedded PostgreSQL failed ${event.attempts} restarts in a row; giving up (last error: ${event.error}). ` +
          `/readyz answers 503 until Messenger Vault is restarted. Check ${dir} (disk space, permissions, ` +
          `whether EMBEDDED_PG_PORT is free) and the lines above, then restart.`,
      );
  }
}
