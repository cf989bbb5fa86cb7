import { notifySecretChanged } from './secret-change';
import type { SealedColumnSet } from './sealed-column-set';

/** Messenger secret versions: bound to (tenant, secret, version), as `sealSecret` was called. */
export const SECRET_VERSION_COLUMNS: SealedColumnSet<{ tenant_id: string; secret_id: string; version: number }> = {
  table: 'secret_versions',
  noun: 'secret version',
  bindingColumns: ['tenant_id', 'secret_id', 'version'],
  tenantColumn: 'tenant_id',
  binding: (row) => ({ tenantId: row.tenant_id, secretId: row.secret_id, version: row.version }),
  describe: (row) => `tenant ${row.tenant_id} version ${row.version}`,
  // The signing-key cache holds unwrapped keys; a new wrapped key is a change for it.
  afterRewrap: (tx, tenantIds) => notifySecretChanged(tx, tenantIds),
};
