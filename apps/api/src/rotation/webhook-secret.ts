import {
  fromSealedColumns,
  type KeyEncryptionProvider,
  openSecret,
  type SealedColumns,
  type SecretBinding,
  sealSecret,
  type SecretValue,
  toSealedColumns,
} from '@messenger-vault/vault';
import type { SealedColumnSet } from '../vault/sealed-column-set';

/** A webhook_endpoints row's sealed columns, as selected. */
export interface SealedWebhookRow {
  id: string;
  tenant_id: string;
  ciphertext: Buffer;
  iv: Buffer;
  wrapped_key: Buffer;
  master_key_id: string;
}

/**
 * The vault binding of a webhook's signing secret. The secret id is namespaced, so it can never
 * equal a Messenger secret's id (a UUID): a sealed row copied between the two tables won't open.
 */
export function webhookBinding(tenantId: string, webhookId: string): SecretBinding {
  return { tenantId, secretId: `webhook:${webhookId}`, version: 1 };
}

export async function sealWebhookSecret(
  provider: KeyEncryptionProvider,
  tenantId: string,
  webhookId: string,
  signingSecret: string,
): Promise<SealedColumns> {
  return toSealedColumns(await sealSecret(provider, webhookBinding(tenantId, webhookId), signingSecret));
}

const columnsOf = (row: SealedWebhookRow): SealedColumns => ({
  ciphertext: row.ciphertext,
  iv: row.iv,
  wrappedKey: row.wrapped_key,
  masterKeyId: row.master_key_id,
});

export function openWebhookSecret(provider: KeyEncryptionProvider, row: SealedWebhookRow): Promise<SecretValue> {
  return openSecret(provider, webhookBinding(row.tenant_id, row.id), fromSealedColumns(columnsOf(row)));
}

/**
 * Registered with the vault (`vault/sealed-column-registry.ts`): `vault:rewrap`, `vault:status`
 * and the start-up key check cover webhook signing secrets as they do Messenger secrets.
 */
export const WEBHOOK_SECRET_COLUMNS: SealedColumnSet<{ tenant_id: string }> = {
  table: 'webhook_endpoints',
  noun: 'webhook signing secret',
  bindingColumns: ['tenant_id'],
  tenantColumn: 'tenant_id',
  binding: (row) => webhookBinding(row.tenant_id, row.id),
  describe: (row) => `tenant ${row.tenant_id} webhook ${row.id}`,
};
