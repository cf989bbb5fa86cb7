// First: when tracing is on, it must hook http and pg before anything loads them.
import { shutdownTracing } from './tracing';
import 'reflect-metadata';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './bootstrap/create-app';
import { openDatabase } from './bootstrap/database';
import { AlreadyRunningError, claimInstance, portInUse } from './bootstrap/single-instance';
import { runMigrations } from './database/data-source';
import { createLogger } from './logging/logger';
import { TokenRoute } from './tokens/token-route';
import { UsersService } from './users/users.service';

// SIGTERM must finish within 10 s; leave headroom for the embedded PostgreSQL to stop.
const SHUTDOWN_DEADLINE_MS = 8_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  await claimInstance(config);
  const db = await openDatabase(config, logger, { supervise: true });
  // Filled in once the app exists; a signal may arrive before that.
  const running: { app?: Awaited<ReturnType<typeof createApp>> } = {};
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    timer.unref();
    await running.app?.close().catch(() => undefined);
    await db.close();
    await shutdownTracing();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await runMigrations(db.dataSource, (line) => logger.info(line));
  const app = await createApp(config, db.dataSource, logger);
  running.app = app;
  await app.get(UsersService).ensureFirstStaff();
  // The modules' start-up work (the job queue's connections and first queries, the schedulers)
  // is done here rather than inside listen(): it used to run just before the first request and
  // leave its own connections on top of the pool, so the first token met cold ones.
  await app.init();
  // Last before listening, so /readyz (and every caller) meets a warm token path (docs/decisions/0058).
  await app.get(TokenRoute).warm();
  await app.listen({ port: config.port, host: config.host }).catch((err: NodeJS.ErrnoException) => {
    // Taken between the check at start and now.
    throw err.code === 'EADDRINUSE' ? portInUse(config.port) : err;
  });
  const url = config.publicUrl ?? `http://localhost:${config.port}`;
  logger.info({ url }, 'messenger-vault is ready');
  process.stdout.write(`\n  Messenger Vault is running at ${url}\n  API docs: ${url}/api/docs\n\n`);
}

main().catch((err: unknown) => {
  if (err instanceof AlreadyRunningError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  // Some libraries reject with a bare value or nothing at all; never print just "undefined".
  const reason =
    err instanceof Error
      ? err.message
      : err === undefined
        ? 'an unknown error (see the log lines above)'
        : inspect(err);
  process.stderr.write(`messenger-vault failed to start: ${reason}\n`);
  process.exit(1);
});
