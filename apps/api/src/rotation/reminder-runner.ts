import type { KeyEncryptionProvider } from '@messenger-vault/vault';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { outboundPolicy } from '../common/outbound';
import type { ChannelSender, ReminderLog } from './delivery-channel';
import { EmailSender } from './email-sender';
import { type DeliverOptions, type DeliveryReport, NotificationOutbox } from './notification-outbox';
import { type RecordedReminder, recordReminders } from './record-reminders';
import { WebhookSender } from './webhook-sender';

export interface RunOptions {
  /** The time stages are computed for; now when omitted. */
  at?: Date;
  tenantId?: string;
}

/**
 * The session-level advisory lock the reminder scan runs under: one replica scans, the others
 * skip that tick. Held on a dedicated connection for the whole run, so a replica that dies
 * mid-run drops the lock with its connection (docs/decisions/0037). Any constant works; it
 * only has to be the same in every replica and differ from AUDIT_CHAIN_LOCK.
 */
export const REMINDER_LEADER_LOCK = 725_511_037;

export interface RunReport {
  at: Date;
  recorded: RecordedReminder[];
  delivery: DeliveryReport;
}

/**
 * The rotation reminder job: what the cron runs on every API replica and what
 * `npm run cli -- reminders:run` runs. Records what is owed at `at`, then delivers whatever is
 * due in the outbox now (a retry's schedule is real time, whatever `at` says).
 */
export class ReminderRunner {
  private readonly outbox: NotificationOutbox;
  private readonly email: EmailSender | null;

  constructor(
    private readonly db: DataSource,
    senders: readonly ChannelSender[],
    private readonly log: ReminderLog,
  ) {
    this.outbox = new NotificationOutbox(db, senders, log);
    this.email = senders.find((s): s is EmailSender => s instanceof EmailSender) ?? null;
  }

  private readonly scanHooks: Array<(at: Date, tenantId: string | undefined) => Promise<void>> = [];

  /**
   * Runs after each scan, before delivery: automated rotation (intercom-rotation/) starts the runs
   * of tenants with autoRotate here, so "the reminder job rotates" without this folder knowing how.
   * A hook's failure is logged, never the reminders' failure.
   */
  onScan(hook: (at: Date, tenantId: string | undefined) => Promise<void>): void {
    this.scanHooks.push(hook);
  }

  /** Runs of `run` in this process (`skipped`: ticks another replica was leading), read by /metrics; `lastSuccessAt` in epoch seconds (0: none yet). */
  readonly stats = { succeeded: 0, failed: 0, lastSuccessAt: 0, recorded: 0, skipped: 0 };

  async run(options: RunOptions = {}): Promise<RunReport> {
    const at = options.at ?? new Date();
    try {
      const recorded = await recordReminders(this.db, at, { tenantId: options.tenantId, email: this.email !== null });
      for (const hook of this.scanHooks) {
        await hook(at, options.tenantId).catch((err: Error) =>
          this.log('error', `after-scan hook failed: ${err.message}`),
        );
      }
      const delivery = await this.outbox.deliverDue({ tenantId: options.tenantId });
      this.stats.succeeded++;
      this.stats.recorded += recorded.length;
      this.stats.lastSuccessAt = Date.now() / 1000;
      return { at, recorded, delivery };
    } catch (err) {
      this.stats.failed++;
      throw err;
    }
  }

  /**
   * `run`, by whichever replica takes REMINDER_LEADER_LOCK first; null when another holds it
   * (that replica is scanning now; the next tick tries again). Tests and the cron call this,
   * the CLI calls `run` (an operator asked for it explicitly).
   */
  async runAsLeader(options: RunOptions = {}): Promise<RunReport | null> {
    const lock = this.db.createQueryRunner();
    await lock.connect();
    try {
      const [row]: Array<{ taken: boolean }> = await lock.query(`SELECT pg_try_advisory_lock($1::bigint) AS taken`, [
        REMINDER_LEADER_LOCK,
      ]);
      if (!row?.taken) {
        this.stats.skipped++;
        return null;
      }
      try {
        return await this.run(options);
      } finally {
        // A lost connection has already released it; the unlock then fails and is not the news.
        await lock.query(`SELECT pg_advisory_unlock($1::bigint)`, [REMINDER_LEADER_LOCK]).catch(() => undefined);
      }
    } finally {
      await lock.release();
    }
  }

  /** Sends what is due in the outbox; the API's delivery worker calls it every few seconds. */
  deliverDue(options: DeliverOptions = {}): Promise<DeliveryReport> {
    return this.outbox.deliverDue(options);
  }

  close(): void {
    this.email?.close();
  }
}

/**
 * Webhooks are sent when a keyring is at hand (always in the API; the CLI may lack one and then
 * leaves them to the API), email when SMTP_URL is set.
 */
export function createReminderRunner(
  db: DataSource,
  config: AppConfig,
  keyring: (() => KeyEncryptionProvider) | null,
  log: ReminderLog,
): ReminderRunner {
  const senders: ChannelSender[] = [];
  if (keyring) senders.push(new WebhookSender(db, keyring, config.reminders.webhookTimeoutMs, outboundPolicy(config)));
  const { smtpUrl, smtpFrom } = config.reminders;
  if (smtpUrl) senders.push(new EmailSender(db, smtpUrl, smtpFrom, config.publicUrl));
  return new ReminderRunner(db, senders, log);
}
