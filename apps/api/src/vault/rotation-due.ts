import { SETTINGS_DEFAULTS, rotationDueAt as dueAt } from '@messenger-vault/contracts';
import type { Queryable } from './secret-change';

/** The policy in force now, so changing it moves the due date of every live version. */
export async function rotationPeriodDays(q: Queryable, tenantId: string): Promise<number> {
  const rows: Array<{ rotation_period_days: number }> = await q.query(
    `SELECT rotation_period_days FROM intercom_settings WHERE tenant_id = $1`,
    [tenantId],
  );
  return rows[0]?.rotation_period_days ?? SETTINGS_DEFAULTS.rotationPeriodDays;
}

/** The rule lives in libs/contracts (`rotationDueAt`); responses carry it as an ISO string. */
export function rotationDueAt(createdAt: Date, periodDays: number): string {
  return dueAt(createdAt, periodDays).toISOString();
}
