import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

const CHANNEL = 'mv_changes';
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * Changes may have been missed (the connection dropped, or came back): every cache must ask the
 * database again before trusting an entry, but may keep it to serve while the database is away.
 */
export const ALL_KEYS = '*';

type Handler = (key: string) => void;

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/**
 * Announces `topic:key` to every replica. Run it inside the transaction that makes the change:
 * Postgres delivers a notification only on commit. Usable without Nest (the CLI's rewrap).
 */
export async function notifyChange(q: Queryable, topic: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await q.query(`SELECT pg_notify($1, $2 || ':' || key) FROM unnest($3::text[]) AS key`, [
    CHANNEL,
    topic,
    [...new Set(keys)],
  ]);
}

/**
 * Tells every API replica that cached state changed, through Postgres LISTEN/NOTIFY on one
 * dedicated connection (a pooled one would be handed to queries and lose the LISTEN). When the
 * connection drops, every subscriber hears `*` and the bus reconnects with backoff (250 ms
 * doubling to 5 s); it says `*` again once back, since notices sent in between are gone. While
 * `listening` is false, callers trust what they read for a second at most.
 */
@Injectable()
export class ChangeBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangeBus');
  private readonly handlers = new Map<string, Set<Handler>>();
  private client: Client | null = null;
  private stopped = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly db: DataSource) {}

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

  /** Returns the function that unsubscribes. */
  subscribe(topic: string, handler: Handler): () => void {
    const set = this.handlers.get(topic) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(topic, set);
    return () => set.delete(handler);
  }

  /** Announces `topic:key`; this replica's handlers run at once, other replicas' on commit. */
  async publish(topic: string, key: string, manager: EntityManager = this.db.manager): Promise<void> {
    this.deliver(topic, key);
    await notifyChange(manager, topic, [key]);
  }

  private deliver(topic: string, key: string): void {
    for (const handler of this.handlers.get(topic) ?? []) handler(key);
  }

  private deliverAll(key: string): void {
    for (const topic of this.handlers.keys()) this.deliver(topic, key);
  }

  private async connect(): Promise<void> {
    const { url } = this.db.options as { url?: string };
    const client = new Client({ connectionString: url, application_name: 'messenger-vault:listen' });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      const at = msg.payload.indexOf(':');
      if (at > 0) this.deliver(msg.payload.slice(0, at), msg.payload.slice(at + 1));
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
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
    this.logger.warn('lost the LISTEN connection for change notices; reconnecting');
    this.deliverAll(ALL_KEYS);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.connect().then(
        () => {
          // Anything cached between the drop and now may have missed a change.
          this.deliverAll(ALL_KEYS);
          this.logger.log('LISTEN connection for change notices is back');
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
