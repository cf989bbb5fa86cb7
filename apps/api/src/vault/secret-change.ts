/**
 * Every write to `secret_versions` sends this notification, in the same transaction, with the
 * tenant id as payload: Postgres delivers it on commit, to every replica listening.
 */
export const SECRET_CHANGED_CHANNEL = 'vault_secret_changed';

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export async function notifySecretChanged(q: Queryable, tenantIds: readonly string[]): Promise<void> {
  if (tenantIds.length === 0) return;
  await q.query(`SELECT pg_notify($1, tenant_id) FROM unnest($2::text[]) AS tenant_id`, [
    SECRET_CHANGED_CHANNEL,
    [...new Set(tenantIds)],
  ]);
}
