import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Platform, IdentityMode } from '@messenger-vault/intercom';
import { DataSource } from 'typeorm';
import { ApiKeysService } from './api-keys.service';

const FLUSH_MS = 5_000;

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

  constructor(
    private readonly db: DataSource,
    private readonly apiKeys: ApiKeysService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  count(tenantId: string, platform: Platform, mode: IdentityMode, at = new Date()): void {
    const key = `${tenantId}|${platform}`;
    const tally = this.tallies.get(key);
    if (tally) {
      tally.count += 1;
      tally.last = at;
    } else {
      this.tallies.set(key, { tenantId, platform, count: 1, last: at });
    }
    this.modesUsed.set(tenantId, mode);
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
    const tallies = [...this.tallies.values()];
    const modes = [...this.modesUsed];
    this.tallies = new Map();
    this.modesUsed = new Map();
    try {
      if (tallies.length) {
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
      }
      if (modes.length) {
        await this.db.query(
          `INSERT INTO intercom_settings (tenant_id, identity_mode_used_at)
           SELECT t, now() FROM unnest($1::uuid[], $2::text[]) AS x(t, m)
           ON CONFLICT (tenant_id) DO UPDATE SET identity_mode_used_at = coalesce(intercom_settings.identity_mode_used_at, now())
           WHERE intercom_settings.identity_mode = (SELECT m FROM unnest($1::uuid[], $2::text[]) AS y(t, m) WHERE y.t = intercom_settings.tenant_id)`,
          [modes.map(([t]) => t), modes.map(([, m]) => m)],
        );
      }
      await this.apiKeys.flushUsage();
    } catch (err) {
      // Put the counts back so the next flush carries them.
      for (const t of tallies) {
        const key = `${t.tenantId}|${t.platform}`;
        const now = this.tallies.get(key);
        if (now) now.count += t.count;
        else this.tallies.set(key, t);
      }
      this.logger.warn({ err: (err as Error).message }, 'could not flush token usage');
    }
  }
}
