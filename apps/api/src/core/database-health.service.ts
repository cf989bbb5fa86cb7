import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { databaseUnavailable, isDatabaseUnavailable } from '../common/database-errors';

/**
 * A hot-path query gives up after this long: a hung database (SIGSTOP, a network partition)
 * must not hold token requests, which can be served from what was verified before.
 */
export const HOT_QUERY_TIMEOUT_MS = 2_000;
const PROBE_EVERY_MS = 1_000;

const GUARDED = Symbol('guarded against late errors');

/**
 * While the pool lends a client out it takes its own 'error' listener off. A server that dies
 * right after answering sends its last reply and the termination notice in one packet: the reply
 * settles the query, and the notice, arriving before the client goes back, is an 'error' event
 * with no listener, which would bring the whole API down. The error itself needs no handling
 * here: the client is broken, its next use fails, and the pool discards it when it is returned.
 */
function guardCheckedOut(client: PoolClient): PoolClient {
  const marked = client as PoolClient & { [GUARDED]?: true };
  if (!marked[GUARDED]) {
    marked[GUARDED] = true;
    client.on('error', () => undefined);
  }
  return client;
}

/**
 * Whether PostgreSQL answers, as this replica last saw it. A query that fails for a database
 * reason (refused, reset, shut down, timed out, pool exhausted) marks it down; from then on a
 * probe runs every second and hot-path queries fail at once with 503 `database_unavailable`
 * instead of each waiting for its own timeout. The first probe that succeeds marks it up and
 * runs the `onRecovered` callbacks (usage counts waiting in memory are written then).
 */
@Injectable()
export class DatabaseHealth implements OnModuleDestroy {
  private readonly logger = new Logger('Database');
  private readonly recovered = new Set<() => void>();
  private downSince: number | null = null;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly db: DataSource) {}

  get up(): boolean {
    return this.downSince === null;
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }

  /** Runs `callback` each time the database answers again after being down. */
  onRecovered(callback: () => void): () => void {
    this.recovered.add(callback);
    return () => this.recovered.delete(callback);
  }

  /** Looks at an error from any query: a database outage marks the database down. */
  observe(err: unknown): void {
    if (!isDatabaseUnavailable(err) || this.downSince !== null) return;
    this.downSince = Date.now();
    this.logger.warn('PostgreSQL is unreachable; serving tokens from what was verified, checking every second');
    this.scheduleProbe();
  }

  /**
   * A query on the token hot path: fails fast while the database is down, and gives up after
   * HOT_QUERY_TIMEOUT_MS otherwise. A timed-out connection is destroyed, not reused.
   */
  async hotQuery<T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.downSince !== null) throw databaseUnavailable();
    return this.timedQuery<T>(sql, params, HOT_QUERY_TIMEOUT_MS);
  }

  /** `SELECT 1` within `timeoutMs`, whether or not the database is marked down (readiness asks this). */
  async check(timeoutMs = HOT_QUERY_TIMEOUT_MS * 2): Promise<void> {
    await this.timedQuery('SELECT 1', [], timeoutMs);
  }

  private async timedQuery<T>(sql: string, params: unknown[], timeoutMs: number): Promise<T[]> {
    let client: PoolClient | undefined;
    try {
      client = await this.acquire(timeoutMs);
      const result = await client.query({ text: sql, values: params, query_timeout: timeoutMs } as never);
      client.release();
      return (result as { rows: T[] }).rows;
    } catch (err) {
      // A broken or hung connection is destroyed; one that answered with a query error goes back.
      client?.release(isDatabaseUnavailable(err) ? (err as Error) : undefined);
      this.observe(err);
      throw isDatabaseUnavailable(err) ? databaseUnavailable() : err;
    }
  }

  /** A pooled connection within `timeoutMs`, whatever the pool's own (longer) wait is. */
  private acquire(timeoutMs: number): Promise<PoolClient> {
    const pool = (this.db.driver as unknown as { master: Pool }).master;
    const connecting = pool.connect().then(guardCheckedOut);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // The connection may still arrive: hand it back to the pool when it does.
        connecting.then(
          (c) => c.release(),
          () => undefined,
        );
        reject(new Error('timeout exceeded when trying to connect'));
      }, timeoutMs);
    });
    return Promise.race([connecting, deadline]).finally(() => clearTimeout(timer));
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => void this.probe(), PROBE_EVERY_MS);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    if (this.stopped || this.downSince === null) return;
    try {
      await this.timedQuery('SELECT 1', [], PROBE_EVERY_MS);
    } catch {
      this.scheduleProbe();
      return;
    }
    const seconds = Math.round((Date.now() - this.downSince) / 1000);
    this.downSince = null;
    this.logger.log(`PostgreSQL answers again after ${seconds} s`);
    for (const callback of this.recovered) {
      try {
        callback();
      } catch (err) {
        this.logger.error(`a recovery callback failed: ${(err as Error).name}`);
      }
    }
  }
}
