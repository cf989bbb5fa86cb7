import type { Queryable } from '../core/change-bus.service';
import type { RotationEvent } from './reminder-message';

/**
 * Records an automated rotation's event (started, rotated, failed) as a notification with its
 * outbox rows, in the caller's transaction: in-app at once, email when SMTP is set, the webhook
 * when the tenant has one; the outbox worker delivers them like reminders. Numbered by the run
 * (`occurrence` = its seq), so each run's events are recorded once however often a step repeats.
 */
export async function recordRotationEvent(
  tx: Queryable,
  event: {
    tenantId: string;
    rotationId: string;
    rotationSeq: number;
    stage: RotationEvent;
    secretVersion: number;
    email: boolean;
  },
): Promise<string | null> {
  const rows: Array<{ id: string }> = await tx.query(
    `INSERT INTO rotation_notifications (tenant_id, secret_version_id, secret_version, stage, occurrence, rotation_due_at,
                                         rotation_id)
     SELECT v.tenant_id, v.id, v.version, $3, $4, now(), $5 FROM secret_versions v WHERE v.tenant_id = $1 AND v.version = $2
     ON CONFLICT ON CONSTRAINT rotation_notifications_once DO NOTHING
     RETURNING id`,
    [event.tenantId, event.secretVersion, event.stage, event.rotationSeq, event.rotationId],
  );
  const id = rows[0]?.id;
  if (!id) return null;
  await tx.query(
    `INSERT INTO notification_outbox (notification_id, tenant_id, channel)
     SELECT $1, $2, channel FROM unnest($3::text[]) AS channel
      WHERE channel <> 'webhook' OR EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.tenant_id = $2)`,
    [id, event.tenantId, event.email ? ['email', 'webhook'] : ['webhook']],
  );
  return id;
}
