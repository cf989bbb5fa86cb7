import type { ReminderFacts } from './reminder-message';
import type { ReminderStage } from './reminder-stage';

/** A rotation_notifications row as every reader selects it (see NOTIFICATION_COLUMNS). */
export interface NotificationRow {
  id: string;
  tenant_id: string;
  tenant_name: string;
  secret_version: number;
  stage: ReminderStage;
  occurrence: number;
  rotation_due_at: Date;
  created_at: Date;
  read_at: Date | null;
}

/** Needs `rotation_notifications n JOIN tenants t ON t.id = n.tenant_id`. */
export const NOTIFICATION_COLUMNS = `n.id, n.tenant_id, t.name AS tenant_name, n.secret_version, n.stage, n.occurrence,
  n.rotation_due_at, n.created_at, n.read_at`;

export function reminderFacts(row: NotificationRow): ReminderFacts {
  return {
    stage: row.stage,
    occurrence: row.occurrence,
    secretVersion: row.secret_version,
    rotationDueAt: row.rotation_due_at,
  };
}
