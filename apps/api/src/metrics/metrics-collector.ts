import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { DatabaseHealth } from '../core/database-health.service';
import { Metrics } from '../core/metrics';
import { ReminderRunner } from '../rotation/reminder-runner';
import { ApiKeysService } from '../tokens/api-keys.service';
import { TenantTokenConfigService } from '../tokens/tenant-token-config.service';
import { UsageCounterService } from '../tokens/usage-counter.service';
import { countNotUnder } from '../vault/rewrap';
import { SigningKeyService } from '../vault/signing-key.service';
import { VaultKeyring } from '../vault/vault-keyring.service';

interface OutboxRow {
  pending: string;
  oldest: number | null;
  overdue: string;
}

/**
 * The gauges and counters read at scrape time, from numbers the services keep anyway: nothing
 * here runs per request. The one database read (outbox depth and age, overdue rotations) is a
 * hot-path query: bounded by a timeout, refused at once while the database is down; then its
 * gauges read NaN rather than a stale or made-up value.
 */
@Injectable()
export class MetricsCollector implements OnModuleInit {
  /** The read in flight: the gauges of one scrape are collected together and share it. */
  private outboxRead: Promise<OutboxRow | null> | null = null;
  private rewrapRead: Promise<number> | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly health: DatabaseHealth,
    private readonly db: DataSource,
    private readonly apiKeys: ApiKeysService,
    private readonly tenantConfig: TenantTokenConfigService,
    private readonly signingKeys: SigningKeyService,
    private readonly usage: UsageCounterService,
    private readonly reminders: ReminderRunner,
    private readonly keyring: VaultKeyring,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    // Counters kept as plain numbers by their owners: each scrape copies the running totals.
    const caches = {
      api_key: () => this.apiKeys.cacheStats,
      tenant_config: () => this.tenantConfig.cacheStats,
      signing_key: () => this.signingKeys.cacheStats,
    };
    new Counter({
      name: 'messenger_vault_cache_lookups_total',
      help: 'Lookups of the verified caches behind the token path, by cache and how each was answered (fresh: from memory; stale: from memory while refreshing or while the database is away; loaded: waited for the database). Hit ratio: (fresh + stale) / all.',
      labelNames: ['cache', 'result'] as const,
      registers,
      collect() {
        this.reset();
        for (const [cache, stats] of Object.entries(caches)) {
          const { fresh, stale, loaded } = stats();
          this.inc({ cache, result: 'fresh' }, fresh);
          this.inc({ cache, result: 'stale' }, stale);
          this.inc({ cache, result: 'loaded' }, loaded);
        }
      },
    });
    const usage = this.usage;
    new Counter({
      name: 'messenger_vault_usage_counts_dropped_total',
      help: 'Issued tokens never to be counted in token_usage because the in-memory buffer was full during a database outage (also logged).',
      registers,
      collect() {
        this.reset();
        this.inc(usage.dropped);
      },
    });
    new Gauge({
      name: 'messenger_vault_usage_pending_tallies',
      help: 'Token usage tallies (tenant x platform x hour) waiting in memory to be written.',
      registers,
      collect() {
        this.set(usage.pending);
      },
    });
    const reminders = this.reminders;
    new Counter({
      name: 'messenger_vault_reminder_runs_total',
      help: 'Rotation reminder runs in this process, by outcome; skipped: another replica held the leader lock.',
      labelNames: ['outcome'] as const,
      registers,
      collect() {
        this.reset();
        this.inc({ outcome: 'succeeded' }, reminders.stats.succeeded);
        this.inc({ outcome: 'failed' }, reminders.stats.failed);
        this.inc({ outcome: 'skipped' }, reminders.stats.skipped);
      },
    });
    new Counter({
      name: 'messenger_vault_reminders_recorded_total',
      help: 'Rotation reminders recorded by the runs of this process.',
      registers,
      collect() {
        this.reset();
        this.inc(reminders.stats.recorded);
      },
    });
    new Gauge({
      name: 'messenger_vault_reminder_last_success_timestamp_seconds',
      help: 'When a reminder run of this process last succeeded (Unix time; 0: not yet).',
      registers,
      collect() {
        this.set(reminders.stats.lastSuccessAt);
      },
    });
    const health = this.health;
    new Gauge({
      name: 'messenger_vault_db_up',
      help: 'Whether PostgreSQL answers, as this replica sees it (1 up, 0 down; probed every second while down).',
      registers,
      collect() {
        this.set(health.up ? 1 : 0);
      },
    });
    const pool = (this.db.driver as unknown as { master?: Pool }).master;
    new Gauge({
      name: 'messenger_vault_db_pool_connections',
      help: "This process's PostgreSQL pool: open connections (total), idle ones, and requests waiting for one.",
      labelNames: ['state'] as const,
      registers,
      collect() {
        this.set({ state: 'total' }, pool?.totalCount ?? 0);
        this.set({ state: 'idle' }, pool?.idleCount ?? 0);
        this.set({ state: 'waiting' }, pool?.waitingCount ?? 0);
      },
    });
    const read = () => this.readOutbox();
    new Gauge({
      name: 'messenger_vault_outbox_pending',
      help: 'Reminder deliveries (email, webhook) waiting in the outbox, all replicas (NaN: the database did not answer).',
      registers,
      async collect() {
        const row = await read();
        this.set(row ? Number(row.pending) : NaN);
      },
    });
    new Gauge({
      name: 'messenger_vault_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest delivery waiting in the outbox (0: none waiting; NaN: the database did not answer).',
      registers,
      async collect() {
        const row = await read();
        this.set(row ? (row.oldest ?? 0) : NaN);
      },
    });
    const rewrapLeft = () => this.readNotUnderActiveKey();
    new Gauge({
      name: 'messenger_vault_vault_rows_not_under_active_key',
      help: 'Sealed rows (secret versions, webhook secrets) still wrapped by an older master key: what vault:rewrap has left after a key rotation (NaN: the database did not answer).',
      registers,
      async collect() {
        this.set(await rewrapLeft());
      },
    });
    new Gauge({
      name: 'messenger_vault_rotations_overdue',
      help: 'Active secret versions past their rotation date, as recorded by the reminder job (NaN: the database did not answer).',
      registers,
      async collect() {
        const row = await read();
        this.set(row ? Number(row.overdue) : NaN);
      },
    });
  }

  /** Sealed rows (every registered set) not yet under the active master key: what `vault:rewrap` has left. */
  private readNotUnderActiveKey(): Promise<number> {
    this.rewrapRead ??= countNotUnder(
      { query: (sql: string, params?: unknown[]) => this.health.hotQuery(sql, params) } as Pick<DataSource, 'query'>,
      this.keyring.provider.activeKeyId(),
    )
      .catch(() => NaN)
      .finally(() => (this.rewrapRead = null));
    return this.rewrapRead;
  }

  private readOutbox(): Promise<OutboxRow | null> {
    this.outboxRead ??= this.health
      .hotQuery<OutboxRow>(
        `SELECT (SELECT count(*) FROM notification_outbox WHERE state = 'pending') AS pending,
                (SELECT extract(epoch FROM now() - min(created_at))::float8 FROM notification_outbox WHERE state = 'pending') AS oldest,
                (SELECT count(DISTINCT n.secret_version_id) FROM rotation_notifications n
                   JOIN secret_versions v ON v.id = n.secret_version_id
                  WHERE n.stage = 'overdue' AND v.state = 'active') AS overdue`,
      )
      .then(
        (r) => r[0] ?? null,
        () => null,
      )
      .finally(() => (this.outboxRead = null));
    return this.outboxRead;
  }
}
