import {
  fromSealedColumns,
  type KeyEncryptionProvider,
  openSecret,
  rewrapSealed,
  type SealedColumns,
  type SecretBinding,
  sealSecret,
  type SecretValue,
  toSealedColumns,
  VaultError,
} from '@messenger-vault/vault';
import type { Queryable } from '../core/change-bus.service';

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
 * Moves webhook signing secrets onto the active master key (data keys only, like
 * `vault:rewrap` does for Messenger secrets). The reminder job runs it, so a master key
 * rotation reaches webhooks within a run. Returns how many rows moved; rows that won't open
 * are left for their deliveries to report.
 */
export async function rewrapWebhookSecrets(q: Queryable, provider: KeyEncryptionProvider): Promise<number> {
  const active = provider.activeKeyId();
  const rows: SealedWebhookRow[] = await q.query(
    `SELECT id, tenant_id, ciphertext, iv, wrapped_key, master_key_id FROM webhook_endpoints WHERE master_key_id <> $1`,
    [active],
  );
  let moved = 0;
  for (const row of rows) {
    let sealed;
    try {
      ({ sealed } = await rewrapSealed(
        provider,
        webhookBinding(row.tenant_id, row.id),
        fromSealedColumns(columnsOf(row)),
      ));
    } catch (err) {
      if (err instanceof VaultError) continue;
      throw err;
    }
    // Only if nobody replaced the webhook meanwhile: a new PUT has a new id.
    const [, count]: [unknown, number] = await q.query(
      `UPDATE webhook_endpoints SET wrapped_key = $1, master_key_id = $2 WHERE id = $3 AND master_key_id = $4`,
      [sealed.wrappedKey, sealed.masterKeyId, row.id, row.master_key_id],
    );
    moved += count;
  }
  return moved;
}
