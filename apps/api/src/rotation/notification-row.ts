import type { NotificationKind, ReminderFacts, RotationFacts } from './reminder-message';

/** A rotation_notifications row as every reader selects it (see NOTIFICATION_COLUMNS). */
export interface NotificationRow {
  id: string;
  tenant_id: string;
  tenant_name: string;
  secret_version: number;
  stage: NotificationKind;
  occurrence: number;
  rotation_due_at: Date;
  created_at: Date;
  read_at: Date | null;
  auto_rotate: boolean | null;
  rotation: RotationFacts | null;
}

/** Needs `rotation_notifications n JOIN tenants t ON t.id = n.tenant_id`. */
export const NOTIFICATION_COLUMNS = `n.id, n.tenant_id, t.name AS tenant_name, n.secret_version, n.stage, n.occurrence,
  n.rotation_due_at, n.created_at, n.read_at,
  (SELECT s.auto_rotate FROM intercom_settings s WHERE s.tenant_id = n.tenant_id) AS auto_rotate,
  (SELECT json_build_object(
            'id', r.id, 'reason', r.reason,
            'newVersions', coalesce((SELECT json_agg((i->>'newVersion')::int) FROM jsonb_array_elements(r.items) i
                                      WHERE i->>'newVersion' IS NOT NULL), '[]'::json),
            'removeByHand', coalesce((SELECT json_agg((i->>'oldVersion')::int) FROM jsonb_array_elements(r.items) i
                                       WHERE (i->>'removeByHand')::boolean), '[]'::json))
     FROM intercom_rotations r WHERE r.id = n.rotation_id) AS rotation`;

export function reminderFacts(row: NotificationRow): ReminderFacts {
  return {
    stage: row.stage,
    occurrence: row.occurrence,
    secretVersion: row.secret_version,
    rotationDueAt: row.rotation_due_at,
    autoRotate: row.auto_rotate === true,
    rotation: row.rotation,
  };
}
