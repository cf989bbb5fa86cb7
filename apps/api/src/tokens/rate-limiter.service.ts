import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../common/errors';
import { DatabaseHealth } from '../core/database-health.service';

const WINDOW_MS = 60_000;
const SYNC_MS = 1_000;

interface KeyWindow {
  window: number;
  /** Requests this replica allowed and has not yet added to the shared row. */
  pending: number;
  /** The shared count across replicas, as of the last sync. */
  shared: number;
}

/**
 * A budget per minute (per API key, per tenant for the exchange) that every replica shares, without a database round trip per
 * request: each replica counts in memory and adds its count to one row per key and minute every
 * second, reading back the total. Across replicas the budget can overshoot by at most what the
 * other replicas allowed in the last second; on one replica it is exact.
 */
@Injectable()
export class RateLimiterService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimiter');
  private readonly windows = new Map<string, KeyWindow>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: DatabaseHealth,
  ) {}

  onModuleInit(): void {
    if (this.config.tokenRateLimitPerMinute > 0) {
      this.timer = setInterval(() => void this.sync(), SYNC_MS);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sync();
  }

  /**
   * Counts one request in `bucket` (`key:<api key id>`, `exchange:<tenant id>`), or throws 429
   * with the seconds until the window resets; `who` names the budget in the message.
   */
  take(bucket: string, who: string, now = Date.now()): void {
    const limit = this.config.tokenRateLimitPerMinute;
    if (limit === 0) return;
    const window = Math.floor(now / WINDOW_MS);
    let state = this.windows.get(bucket);
    if (!state || state.window !== window) {
      state = { window, pending: 0, shared: 0 };
      this.windows.set(bucket, state);
    }
    if (state.shared + state.pending >= limit) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
      throw new DomainError(
        ErrorCode.TooManyRequests,
        `${who} reached its limit of ${limit} tokens per minute. Wait ${retryAfter} seconds, cache tokens until shortly before they expire, or ask SalesMind staff for a higher limit.`,
        { retryAfterSeconds: retryAfter },
      );
    }
    state.pending += 1;
  }

  /** Adds every replica-local count to the shared rows and reads back the totals. */
  sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async doSync(): Promise<void> {
    const current = Math.floor(Date.now() / WINDOW_MS);
    const ids: string[] = [];
    const starts: Date[] = [];
    const counts: number[] = [];
    for (const [id, state] of this.windows) {
      if (state.window < current && state.pending === 0) {
        this.windows.delete(id);
        continue;
      }
      ids.push(id);
      starts.push(new Date(state.window * WINDOW_MS));
      counts.push(state.pending);
    }
    // While the database is away each replica counts alone; the next sync adds what it allowed.
    if (ids.length === 0 || !this.health.up) return;
    try {
      const rows: Array<{ bucket: string; window_start: Date; count: number }> = await this.db.query(
        `INSERT INTO rate_windows AS w (bucket, window_start, count)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::int[])
         ON CONFLICT (bucket, window_start) DO UPDATE SET count = w.count + EXCLUDED.count
         RETURNING bucket, window_start, count`,
        [ids, starts, counts],
      );
      const sent = new Map(ids.map((id, i) => [id, { window: starts[i]!.getTime() / WINDOW_MS, count: counts[i]! }]));
      for (const row of rows) {
        const state = this.windows.get(row.bucket);
        const given = sent.get(row.bucket);
        if (!state || !given || state.window !== given.window) continue;
        state.pending -= given.count;
        state.shared = row.count;
      }
      if (Math.random() < 0.01)
        await this.db.query(`DELETE FROM rate_windows WHERE window_start < now() - interval '1 hour'`);
    } catch (err) {
      // Keep counting locally; the next sync adds what this one could not.
      this.health.observe(err);
      this.logger.warn({ err: (err as Error).message }, 'could not sync rate limits');
    }
  }
}
