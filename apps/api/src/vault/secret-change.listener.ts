import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SECRET_CHANGED_CHANNEL } from './secret-change';

export interface SecretChangeHandler {
  /** A tenant's secret versions changed (in this replica or another). */
  changed(tenantId: string): void;
  /** Notifications may have been missed (the connection dropped): forget everything. */
  resync(): void;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 15_000;

/**
 * LISTENs on a dedicated connection (a pooled one would be handed to queries and lose it) and
 * reconnects with backoff when Postgres drops it.
 */
@Injectable()
export class SecretChangeListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Vault');
  private readonly handlers: SecretChangeHandler[] = [];
  private client: Client | null = null;
  private stopped = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly db: DataSource) {}

  /** Returns the function that unsubscribes. */
  subscribe(handler: SecretChangeHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const at = this.handlers.indexOf(handler);
      if (at >= 0) this.handlers.splice(at, 1);
    };
  }

  /** While false, changes could go unnoticed: callers must not cache. */
  get listening(): boolean {
    return this.client !== null;
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const { url } = this.db.options as { url?: string };
    const client = new Client({ connectionString: url, application_name: 'messenger-vault:listen' });
    client.on('notification', (message) => {
      if (message.channel !== SECRET_CHANGED_CHANNEL || !message.payload) return;
      for (const handler of this.handlers) handler.changed(message.payload);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${SECRET_CHANGED_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
  }

  private lost(client: Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    this.logger.warn('lost the LISTEN connection for secret changes; reconnecting');
    for (const handler of this.handlers) handler.resync();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.connect().then(
        () => {
          // Anything cached between the drop and now may have missed a change.
          for (const handler of this.handlers) handler.resync();
          this.logger.log('LISTEN connection for secret changes is back');
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
