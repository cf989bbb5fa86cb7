import {
  type KeyEncryptionProvider,
  openSecret,
  type SealedColumns,
  type SecretBinding,
  sealSecret,
  type SecretValue,
  toSealedColumns,
} from '@messenger-vault/vault';
import type { SealedColumnSet } from '../vault/sealed-column-set';
import { sealedFromRow } from '../vault/sealed-column-set';

/** An intercom_connections row's sealed columns, as selected. */
export interface SealedIntercomTokenRow {
  id: string;
  tenant_id: string;
  ciphertext: Buffer;
  iv: Buffer;
  wrapped_key: Buffer;
  master_key_id: string;
}

/**
 * The vault binding (AAD) of an Intercom access token: its own kind, `intercom-token:`, so a
 * sealed row copied into secret_versions or webhook_endpoints (or back) never opens.
 */
export function intercomTokenBinding(tenantId: string, connectionId: string): SecretBinding {
  return { tenantId, secretId: `intercom-token:${connectionId}`, version: 1 };
}

export async function sealIntercomToken(
  provider: KeyEncryptionProvider,
  tenantId: string,
  connectionId: string,
  accessToken: string,
): Promise<SealedColumns> {
  return toSealedColumns(await sealSecret(provider, intercomTokenBinding(tenantId, connectionId), accessToken));
}

export function openIntercomToken(provider: KeyEncryptionProvider, row: SealedIntercomTokenRow): Promise<SecretValue> {
  return openSecret(provider, intercomTokenBinding(row.tenant_id, row.id), sealedFromRow(row));
}

/** Registered in `vault/sealed-column-registry.ts`: rewrap, `vault:status` and the start-up key check cover it. */
export const INTERCOM_TOKEN_COLUMNS: SealedColumnSet<{ tenant_id: string }> = {
  table: 'intercom_connections',
  noun: 'Intercom access token',
  bindingColumns: ['tenant_id'],
  tenantColumn: 'tenant_id',
  binding: (row) => intercomTokenBinding(row.tenant_id, row.id),
  describe: (row) => `tenant ${row.tenant_id} Intercom connection ${row.id}`,
};
