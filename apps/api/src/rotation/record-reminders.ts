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

/** Versions recorded per transaction: one round trip each instead of three per version. */
const RECORD_BATCH = 1000;

/**
 * Records the reminder each active secret version is owed at `at` (see `reminderAt`), with its
 * outbox rows, a batch of versions per transaction (issue 16: one transaction per version made a
 * scan over 100,000 tenants take minutes). The unique key on (version, stage, occurrence) makes
 * a second run (another replica, the CLI, a retry) record nothing: `ON CONFLICT DO NOTHING`
 * waits for a concurrent insert of the same key to commit and then skips it; rows go in in
 * version id order, so two runs never wait on each other in a cycle. Returns only what this
 * call recorded.
 */
export async function recordReminders(db: DataSource, at: Date, options: RecordOptions): Promise<RecordedReminder[]> {
  const candidates = await reminderCandidates(db, at, options.tenantId ?? null);
  const channels = options.email ? ['email', 'webhook'] : ['webhook'];
  const owed = candidates
    .map((c) => ({ c, due: reminderAt(c.created_at, { rotationPeriodDays: c.period, reminderLeadDays: c.lead }, at) }))
    .filter((x): x is { c: Candidate; due: NonNullable<typeof x.due> } => x.due !== null)
    .sort((a, b) => (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0));
  const recorded: RecordedReminder[] = [];
  for (let i = 0; i < owed.length; i += RECORD_BATCH) {
    const batch = owed.slice(i, i + RECORD_BATCH);
    const rows = await db.transaction(async (tx) => {
      // Re-checks the state: a rotation committed since the select above ends the reminders.
      const inserted: Array<{
        id: string;
        tenant_id: string;
        secret_version: number;
        stage: ReminderStage;
        occurrence: number;
        rotation_due_at: Date;
      }> = await tx.query(
        `INSERT INTO rotation_notifications (tenant_id, secret_version_id, secret_version, stage, occurrence, rotation_due_at)
         SELECT v.tenant_id, v.id, v.version, x.stage, x.occurrence, x.due
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[]) WITH ORDINALITY AS x(id, stage, occurrence, due, n)
           JOIN secret_versions v ON v.id = x.id AND v.state = 'active'
          ORDER BY x.n
         ON CONFLICT ON CONSTRAINT rotation_notifications_once DO NOTHING
         RETURNING id, tenant_id, secret_version, stage, occurrence, rotation_due_at`,
        [
          batch.map((x) => x.c.id),
          batch.map((x) => x.due.stage),
          batch.map((x) => x.due.occurrence),
          batch.map((x) => x.due.rotationDueAt),
        ],
      );
      if (inserted.length) {
        await tx.query(
          `INSERT INTO notification_outbox (notification_id, tenant_id, channel)
           SELECT n.id, n.tenant_id, channel
             FROM unnest($1::uuid[], $2::uuid[]) AS n(id, tenant_id) CROSS JOIN unnest($3::text[]) AS channel
            WHERE channel <> 'webhook' OR EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.tenant_id = n.tenant_id)`,
          [inserted.map((r) => r.id), inserted.map((r) => r.tenant_id), channels],
        );
      }
      return inserted;
    });
    for (const r of rows) {
      recorded.push({
        notificationId: r.id,
        tenantId: r.tenant_id,
        secretVersion: r.secret_version,
        stage: r.stage,
        occurrence: r.occurrence,
        rotationDueAt: r.rotation_due_at,
      });
    }
  }
  // In the order the candidates come (tenant, version), as before batching.
  return recorded.sort((a, b) =>
    a.tenantId === b.tenantId ? a.secretVersion - b.secretVersion : a.tenantId < b.tenantId ? -1 : 1,
  );
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
