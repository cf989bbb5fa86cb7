import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import type { AttemptResult, ChannelSender, DeliveryChannel, OutboxItem, ReminderLog } from './delivery-channel';
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from './delivery-retry';
import { NOTIFICATION_COLUMNS, type NotificationRow } from './notification-row';
import { isDatabaseUnavailable } from '../common/database-errors';

const RECORD_RETRY_MS = 1_000;
const RECORD_RETRY_FOR_MS = 60_000;

/** Runs `write` again every second while the database is unavailable, for a minute at most. */
async function untilDatabaseAnswers(write: () => Promise<void>): Promise<void> {
  const giveUpAt = Date.now() + RECORD_RETRY_FOR_MS;
  for (;;) {
    try {
      return await write();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() > giveUpAt) throw err;
      await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
    }
  }
}

export interface DeliverOptions {
  /** The clock the schedule is read with; the database's when omitted. Tests move it forward. */
  now?: Date;
  /** Only this tenant's deliveries (the CLI's --tenant). */
  tenantId?: string;
  batchSize?: number;
}

export interface DeliveryReport {
  delivered: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

const DEFAULT_BATCH = 20;
/**
 * A claimed row is hidden from other workers this long, and the worker renews the lease every
 * LEASE_RENEW_MS while its attempts run: a live worker keeps its rows however slow the receiver,
 * a worker that died (SIGKILL, a crashed replica) gives them back within the lease. The attempt
 * it started is counted; the row is retried from there (receivers drop repeats by the event id).
 */
export const CLAIM_LEASE_SECONDS = 15;
const LEASE_RENEW_MS = 5_000;

interface ClaimedRow {
  id: string;
  channel: DeliveryChannel;
  attempts: number;
  notification_id: string;
}

/**
 * Works the outbox: claims due rows with FOR UPDATE SKIP LOCKED (so any number of replicas and
 * CLI runs share the work without sending anything twice), sends, records the attempt and
 * schedules the retry. Only the channels this process has a sender for are claimed.
 */
export class NotificationOutbox {
  private readonly senders: Map<DeliveryChannel, ChannelSender>;

  constructor(
    private readonly db: DataSource,
    senders: readonly ChannelSender[],
    private readonly log: ReminderLog,
  ) {
    this.senders = new Map(senders.map((s) => [s.channel, s]));
  }

  async deliverDue(options: DeliverOptions = {}): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0, cancelled: 0 };
    const channels = [...this.senders.keys()];
    if (channels.length === 0) return report;
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    report.failed += await this.giveUpAbandoned(options);
    for (;;) {
      const items = await this.claim(channels, batchSize, options);
      const renewing = items.length ? this.renewLeases(items, options.now) : null;
      // Settled, not all: the lease must be kept until every attempt of the batch has ended.
      const settled = await Promise.allSettled(items.map((item) => this.attempt(item, options.now)));
      if (renewing) clearInterval(renewing);
      for (const result of settled) {
        if (result.status === 'rejected') throw result.reason;
        report[result.value === 'pending' ? 'retrying' : result.value]++;
      }
      if (items.length < batchSize) return report;
    }
  }

  /** Keeps this worker's claim on `items` while their attempts run; stops with the interval it returns. */
  private renewLeases(items: OutboxItem[], now: Date | undefined): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.db
        .query(
          `UPDATE notification_outbox o SET next_attempt_at = coalesce($3::timestamptz, now()) + $4 * interval '1 second'
             FROM unnest($1::uuid[], $2::int[]) AS c(id, attempts)
            WHERE o.id = c.id AND o.attempts = c.attempts AND o.state = 'pending'`,
          [items.map((i) => i.outboxId), items.map((i) => i.attempt), now ?? null, CLAIM_LEASE_SECONDS],
        )
        // The database may be away for a moment; the next renewal tries again.
        .catch(() => undefined);
    }, LEASE_RENEW_MS);
    timer.unref();
    return timer;
  }

  /** Rows whose last attempt's worker died before recording it: there is no attempt left to make. */
  private async giveUpAbandoned(options: DeliverOptions): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(
      `UPDATE notification_outbox SET state = 'failed', finished_at = coalesce($1::timestamptz, now())
        WHERE state = 'pending' AND attempts >= $2 AND next_attempt_at <= coalesce($1::timestamptz, now())
          AND ($3::uuid IS NULL OR tenant_id = $3::uuid)`,
      [options.now ?? null, MAX_DELIVERY_ATTEMPTS, options.tenantId ?? null],
    );
    return count;
  }

  private async claim(channels: DeliveryChannel[], batchSize: number, options: DeliverOptions): Promise<OutboxItem[]> {
    const [claimed]: [ClaimedRow[], number] = await this.db.query(
      `UPDATE notification_outbox o
          SET attempts = o.attempts + 1, next_attempt_at = coalesce($1::timestamptz, now()) + $5 * interval '1 second'
        WHERE o.id IN (SELECT id FROM notification_outbox
                        WHERE state = 'pending' AND next_attempt_at <= coalesce($1::timestamptz, now())
                          AND channel = ANY($2::text[]) AND ($3::uuid IS NULL OR tenant_id = $3::uuid)
                          AND attempts < $6
                        ORDER BY next_attempt_at LIMIT $4
                          FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.channel, o.attempts, o.notification_id`,
      [options.now ?? null, channels, options.tenantId ?? null, batchSize, CLAIM_LEASE_SECONDS, MAX_DELIVERY_ATTEMPTS],
    );
    if (claimed.length === 0) return [];
    const notifications: NotificationRow[] = await this.db.query(
      `SELECT ${NOTIFICATION_COLUMNS} FROM rotation_notifications n JOIN tenants t ON t.id = n.tenant_id
        WHERE n.id = ANY($1::uuid[])`,
      [claimed.map((c) => c.notification_id)],
    );
    const byId = new Map(notifications.map((n) => [n.id, n]));
    return claimed.map((c) => ({
      outboxId: c.id,
      channel: c.channel,
      attempt: c.attempts,
      notification: byId.get(c.notification_id)!,
    }));
  }

  /** One attempt, recorded with its outcome; returns the row's new state. */
  private async attempt(
    item: OutboxItem,
    now: Date | undefined,
  ): Promise<'pending' | 'delivered' | 'failed' | 'cancelled'> {
    const started = performance.now();
    let result: AttemptResult;
    try {
      result = await this.senders.get(item.channel)!.send(item);
    } catch (err) {
      // A bug or the database, not the receiver: still an attempt, retried like any other.
      result = { outcome: 'failed', statusCode: null, error: `Internal error (${(err as Error).name ?? 'unknown'}).` };
      this.log(
        'error',
        `${item.channel} delivery of notification ${item.notification.id} threw ${(err as Error).name}`,
      );
    }
    const durationMs = Math.round(performance.now() - started);
    const { outcome } = result;
    const retryable = outcome === 'failed' || outcome === 'timeout';
    const delay = retryable ? retryDelayMs(item.attempt) : null;
    const state = outcome === 'delivered' || outcome === 'cancelled' ? outcome : delay === null ? 'failed' : 'pending';
    // What was sent is known only here: wait out a database outage rather than lose it (the row
    // would come back after its lease and be sent again). Both writes are idempotent.
    await untilDatabaseAnswers(() =>
      this.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO notification_delivery_attempts
           (outbox_id, attempt, channel, attempted_at, outcome, status_code, error, duration_ms)
         VALUES ($1, $2, $3, coalesce($4::timestamptz, now()), $5, $6, $7, $8)
         ON CONFLICT (outbox_id, attempt) DO NOTHING`,
          [
            item.outboxId,
            item.attempt,
            item.channel,
            now ?? null,
            result.outcome,
            result.statusCode,
            result.error,
            durationMs,
          ],
        );
        // Guarded by the attempt number: a worker whose lease ran out must not overwrite a newer attempt.
        await tx.query(
          `UPDATE notification_outbox
            SET state = $2::text,
                next_attempt_at = CASE WHEN $2::text = 'pending'
                                       THEN coalesce($3::timestamptz, now()) + $4::double precision * interval '1 millisecond'
                                       ELSE next_attempt_at END,
                finished_at = CASE WHEN $2::text = 'pending' THEN NULL ELSE coalesce($3::timestamptz, now()) END
          WHERE id = $1 AND attempts = $5 AND state = 'pending'`,
          [item.outboxId, state, now ?? null, delay ?? 0, item.attempt],
        );
      }),
    );
    if (result.outcome !== 'delivered') {
      const next =
        state === 'pending'
          ? `retrying in ${Math.round(delay! / 1000)} s`
          : state === 'failed'
            ? 'giving up'
            : 'dropped';
      this.log(
        'warn',
        `${item.channel} delivery of notification ${item.notification.id} (tenant ${item.notification.tenant_id}) ` +
          `attempt ${item.attempt}/${MAX_DELIVERY_ATTEMPTS} ${result.outcome}: ${result.error ?? ''} ${next}`,
      );
    }
    return state;
  }
}
