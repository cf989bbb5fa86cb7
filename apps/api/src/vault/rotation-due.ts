import type { Queryable } from './secret-change';

/** Matches the column default of intercom_settings.rotation_period_days: a tenant without a row uses it. */
export const DEFAULT_ROTATION_PERIOD_DAYS = 90;
const DAY_MS = 86_400_000;

/** The policy in force now, so changing it moves the due date of every live version. */
export async function rotationPeriodDays(q: Queryable, tenantId: string): Promise<number> {
  const rows: Array<{ rotation_period_days: number }> = await q.query(
    `SELECT rotation_period_days FROM intercom_settings WHERE tenant_id = $1`,
    [tenantId],
  );
  return rows[0]?.rotation_period_days ?? DEFAULT_ROTATION_PERIOD_DAYS;
}

export function rotationDueAt(createdAt: Date, periodDays: number): string {
  return new Date(createdAt.getTime() + periodDays * DAY_MS).toISOString();
}
