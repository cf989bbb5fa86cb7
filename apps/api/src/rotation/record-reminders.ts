import type { DataSource } from 'typeorm';
import { DAY_MS, SETTINGS_DEFAULTS } from '@messenger-vault/contracts';
import { reminderAt, type ReminderStage } from './reminder-stage';

export interface RecordedReminder {
  notificationId: string;
  tenantId: string;
  secretVersion: number;
  stage: ReminderStage;
  occurrence: number;
  rotationDueAt: Date;
}

export interface RecordOptions {
  /** Only this tenant's versions (the CLI's --tenant). */
  tenantId?: string;
  /** Queue an email too: SMTP_URL is set. Webhooks are queued for tenants that have one. */
  email: boolean;
}

export interface Candidate {
  id: string;
  tenant_id: string;
  version: number;
  created_at: Date;
  period: number;
  lead: number;
}

/**
 * Records the reminder each active secret version is owed at `at` (see `reminderAt`), with its
 * outbox rows, one transaction per version. The unique key on (version, stage, occurrence) makes
 * a second run (another replica, the CLI, a retry) record nothing: `ON CONFLICT DO NOTHING`
 * waits for a concurrent insert of the same key to commit and then skips it. Returns only what
 * this call recorded.
 */
export async function recordReminders(db: DataSource, at: Date, options: RecordOptions): Promise<RecordedReminder[]> {
  const candidates = await reminderCandidates(db, at, options.tenantId ?? null);
  const channels = options.email ? ['email', 'webhook'] : ['webhook'];
  const recorded: RecordedReminder[] = [];
  for (const c of candidates) {
    const due = reminderAt(c.created_at, { rotationPeriodDays: c.period, reminderLeadDays: c.lead }, at);
    if (!due) continue;
    const id = await db.transaction(async (tx) => {
      // Re-checks the state: a rotation committed since the select above ends the reminders.
      const rows: Array<{ id: string }> = await tx.query(
        `INSERT INTO rotation_notifications (tenant_id, secret_version_id, secret_version, stage, occurrence, rotation_due_at)
         SELECT v.tenant_id, v.id, v.version, $2, $3, $4 FROM secret_versions v WHERE v.id = $1 AND v.state = 'active'
         ON CONFLICT ON CONSTRAINT rotation_notifications_once DO NOTHING
         RETURNING id`,
        [c.id, due.stage, due.occurrence, due.rotationDueAt],
      );
      const notificationId = rows[0]?.id;
      if (!notificationId) return null;
      await tx.query(
        `INSERT INTO notification_outbox (notification_id, tenant_id, channel)
         SELECT $1, $2, channel FROM unnest($3::text[]) AS channel
          WHERE channel <> 'webhook' OR EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.tenant_id = $2)`,
        [notificationId, c.tenant_id, channels],
      );
      return notificationId;
    });
    if (id) {
      recorded.push({
        notificationId: id,
        tenantId: c.tenant_id,
        secretVersion: c.version,
        stage: due.stage,
        occurrence: due.occurrence,
        rotationDueAt: due.rotationDueAt,
      });
    }
  }
  return recorded;
}

/**
 * The active versions of live tenants that are in a rotation stage at `at`: SQL's form of
 * `rotationStagesStartAt(created_at, policy) <= at` (libs/contracts), with the same defaults and
 * day length passed in, so the two cannot drift (record-reminders.test.ts compares them).
 * Milliseconds, as the Date that reminderAt gets has; a day is DAY_MS, so no time zone moves it.
 */
export function reminderCandidates(
  db: Pick<DataSource, 'query'>,
  at: Date,
  tenantId: string | null,
): Promise<Candidate[]> {
  return db.query(
    `SELECT v.id, v.tenant_id, v.version, v.created_at,
            coalesce(s.rotation_period_days, $3) AS period, coalesce(s.reminder_lead_days, $4) AS lead
       FROM secret_versions v
       JOIN tenants t ON t.id = v.tenant_id AND t.archived_at IS NULL
       LEFT JOIN intercom_settings s ON s.tenant_id = v.tenant_id
      WHERE v.state = 'active'
        AND ($2::uuid IS NULL OR v.tenant_id = $2::uuid)
        AND date_trunc('milliseconds', v.created_at)
            + (coalesce(s.rotation_period_days, $3) - coalesce(s.reminder_lead_days, $4)) * ($5::bigint * interval '1 millisecond')
            <= $1::timestamptz
      ORDER BY v.tenant_id, v.version`,
    [at, tenantId, SETTINGS_DEFAULTS.rotationPeriodDays, SETTINGS_DEFAULTS.reminderLeadDays, DAY_MS],
  );
}
