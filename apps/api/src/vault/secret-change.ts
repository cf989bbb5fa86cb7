import { notifyChange, type Queryable } from '../core/change-bus.service';

export type { Queryable };

/** The change-bus topic for a tenant's secret versions; the key is the tenant id. */
export const SECRET_TOPIC = 'secret';

/** Every write to `secret_versions` calls this in the same transaction: replicas drop their copy on commit. */
export function notifySecretChanged(q: Queryable, tenantIds: readonly string[]): Promise<void> {
  return notifyChange(q, SECRET_TOPIC, tenantIds);
}
