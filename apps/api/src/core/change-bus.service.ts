import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

const CHANNEL = 'mv_changes';
const RECONNECT_MS = 1_000;

type Handler = (key: string) => void;

/**
 * Tells every API replica that cached state changed, through Postgres LISTEN/NOTIFY. Publish
 * inside the transaction that makes the change: Postgres delivers the notice only on commit.
 * After a lost connection every subscriber hears `*` (drop everything), since notices sent
 * while disconnected are gone.
 */
@Injectable()
export class ChangeBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeBus');
  private readonly handlers = new Map<string, Set<Handler>>();
  private client: Client | null = null;
  private closed = false;

  constructor(private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  subscribe(topic: string, handler: Handler): void {
    const set = this.handlers.get(topic) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(topic, set);
  }

  /** Announces `topic:key`; this replica's handlers run at once, others' on commit. */
  async publish(topic: string, key: string, manager: EntityManager = this.db.manager): Promise<void> {
    this.deliver(topic, key);
    await manager.query('SELECT pg_notify($1, $2)', [CHANNEL, `${topic}:${key}`]);
  }

  private deliver(topic: string, key: string): void {
    for (const handler of this.handlers.get(topic) ?? []) handler(key);
  }

  private async connect(): Promise<void> {
    const options = this.db.options as { url?: string };
    const client = new Client({ connectionString: options.url, application_name: 'messenger-vault-listener' });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      const at = msg.payload.indexOf(':');
      this.deliver(msg.payload.slice(0, at), msg.payload.slice(at + 1));
    });
    client.on('error', (err) => this.reconnect(client, err));
    client.on('end', () => this.reconnect(client, null));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  private reconnect(failed: Client, err: Error | null): void {
    if (this.closed || this.client !== failed) return;
    this.client = null;
    this.logger.warn({ err: err?.message }, 'lost the change listener connection; reconnecting');
    for (const topic of this.handlers.keys()) this.deliver(topic, '*');
    const retry = () => {
      if (this.closed) return;
      this.connect().catch(() => setTimeout(retry, RECONNECT_MS).unref());
    };
    setTimeout(retry, RECONNECT_MS).unref();
  }
}
