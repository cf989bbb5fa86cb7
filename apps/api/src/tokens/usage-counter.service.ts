import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Platform, IdentityMode } from '@messenger-vault/intercom';
import { DataSource } from 'typeorm';
import { DatabaseHealth } from '../core/database-health.service';
import { ApiKeysService } from './api-keys.service';

const FLUSH_MS = 5_000;
const HOUR_MS = 3_600_000;
/**
 * Tallies (tenant × platform × hour) waiting to be written. One per tenant and platform in the
 * steady state; an outage adds one per hour it lasts. Past this, counts are dropped, counted in
 * `dropped` and logged: memory stays bounded whatever the outage costs.
 */
export const MAX_PENDING_TALLIES = 250_000;
const DROP_LOG_EVERY_MS = 60_000;

interface Tally {
  tenantId: string;
  platform: Platform;
  count: number;
  last: Date;
}

/**
 * Tokens issued per tenant and platform, counted in memory and flushed every few seconds as one
 * upsert into hourly rows: the evidence behind each platform's "last token" and "tokens in the
 * last 24 h", without a write per token.
 */
@Injectable()
export class UsageCounterService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('UsageCounter');
  private tallies = new Map<string, Tally>();
  private modesUsed = new Map<string, IdentityMode>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** Tokens issued but never to be counted in token_usage, because the buffer was full. */
  dropped = 0;
  /** MAX_PENDING_TALLIES; a test lowers it rather than make a quarter of a million tallies. */
  maxPending = MAX_PENDING_TALLIES;
  private droppedLogged = 0;
  private dropLogAt = 0;
  /** The database's hour the overview's 24-hour sums were last rolled to by this process. */
  private rolledHour: number | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly apiKeys: ApiKeysService,
    private readonly health: DatabaseHealth,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
    this.health.onRecovered(() => void this.flush());
  }

  /** Tallies waiting in memory for the next write. */
  get pending(): number {
    return this.tallies.size;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  count(tenantId: string, platform: Platform, mode: IdentityMode, at = new Date()): void {
    this.add({ tenantId, platform, count: 1, last: at });
    this.modesUsed.set(tenantId, mode);
  }

  /** Adds to the tally of the tally's hour; drops (and counts the drop) when the buffer is full. */
  private add(t: Tally): void {
    const key = `${t.tenantId}|${t.platform}|${Math.floor(t.last.getTime() / HOUR_MS)}`;
    const tally = this.tallies.get(key);
    if (tally) {
      tally.count += t.count;
      if (t.last > tally.last) tally.last = t.last;
    } else if (this.tallies.size < this.maxPending) {
      this.tallies.set(key, { ...t });
    } else {
      this.dropped += t.count;
      this.logDrops();
    }
  }

  private logDrops(): void {
    const now = Date.now();
    if (now - this.dropLogAt < DROP_LOG_EVERY_MS) return;
    this.dropLogAt = now;
    this.logger.error(
      { dropped: this.dropped - this.droppedLogged, droppedTotal: this.dropped, pending: this.tallies.size },
      'token usage buffer is full while the database is unreachable: counts dropped',
    );
    this.droppedLogged = this.dropped;
  }

  /**
   * Marks step 5 (a token of the chosen mode was tested) at once, without counting traffic: the
   * admin who just tried a token in the wizard should see the step done, not after a flush.
   */
  async markModeUsed(tenantId: string, mode: IdentityMode): Promise<void> {
    await this.db.query(
      `UPDATE intercom_settings SET identity_mode_used_at = coalesce(identity_mode_used_at, now())
        WHERE tenant_id = $1 AND identity_mode = $2`,
      [tenantId, mode],
    );
  }

  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    // While the database is down the counts wait; DatabaseHealth calls flush() when it is back.
    if (!this.health.up) return;
    const tallies = [...this.tallies.values()];
    const modes = [...this.modesUsed];
    this.tallies = new Map();
    this.modesUsed = new Map();
    // Three separate writes: one failing must not put back counts another already wrote.
    if (tallies.length) {
      try {
        await this.db.query(
          `INSERT INTO token_usage AS u (tenant_id, platform, hour, count, last_token_at)
           SELECT t, p, date_trunc('hour', l), c, l FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::timestamptz[]) AS x(t, p, c, l)
           ON CONFLICT (tenant_id, platform, hour) DO UPDATE
             SET count = u.count + EXCLUDED.count, last_token_at = greatest(u.last_token_at, EXCLUDED.last_token_at)`,
          [
            tallies.map((t) => t.tenantId),
            tallies.map((t) => t.platform),
            tallies.map((t) => t.count),
            tallies.map((t) => t.last),
          ],
        );
      } catch (err) {
        // Put the counts back so the next flush carries them (bounded: see MAX_PENDING_TALLIES).
        for (const t of tallies) this.add(t);
        this.failed(err);
        return;
      }
    }
    if (modes.length) {
      try {
        await this.db.query(
          `INSERT INTO intercom_settings (tenant_id, identity_mode_used_at)
           SELECT t, now() FROM unnest($1::uuid[], $2::text[]) AS x(t, m)
           ON CONFLICT (tenant_id) DO UPDATE SET identity_mode_used_at = coalesce(intercom_settings.identity_mode_used_at, now())
           WHERE intercom_settings.identity_mode = (SELECT m FROM unnest($1::uuid[], $2::text[]) AS y(t, m) WHERE y.t = intercom_settings.tenant_id)`,
          [modes.map(([t]) => t), modes.map(([, m]) => m)],
        );
      } catch (err) {
        for (const [tenantId, mode] of modes) if (!this.modesUsed.has(tenantId)) this.modesUsed.set(tenantId, mode);
        this.failed(err);
        return;
      }
    }
    await this.apiKeys.flushUsage().catch((err: unknown) => this.failed(err));
    await this.rollTraffic().catch((err: unknown) => {
      this.health.observe(err);
      this.logger.warn({ err: (err as Error).message }, "could not roll the overview's 24-hour token sums; next tick");
    });
  }

  /**
   * Once an hour (the first flush tick of each hour), the staff overview's stored "tokens in the
   * last 24 h" drop the hour that just left the window (docs/decisions/0056). Every replica does
   * it; the second finds nothing left to do. Until the database's clock has reached the hour too,
   * it is tried again on the next tick.
   */
  async rollTraffic(): Promise<void> {
    if (this.rolledHour === Math.floor(Date.now() / HOUR_MS)) return;
    const [row] = (await this.db.query(`SELECT tenant_overview_roll_traffic() AS hour`)) as Array<{ hour: Date }>;
    this.rolledHour = Math.floor(row!.hour.getTime() / HOUR_MS);
  }

  private failed(err: unknown): void {
    this.health.observe(err);
    this.logger.warn(
      { err: (err as Error).message, pending: this.tallies.size },
      'could not write token usage; kept in memory for the next try',
    );
  }
}
