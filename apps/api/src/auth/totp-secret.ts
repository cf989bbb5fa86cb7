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

/** A user_totp row's sealed columns, as selected. */
export interface SealedTotpRow {
  id: string;
  user_id: string;
  ciphertext: Buffer;
  iv: Buffer;
  wrapped_key: Buffer;
  master_key_id: string;
}

/**
 * The vault binding (AAD) of a user's TOTP secret: its own kind, `totp:`, bound to the user.
 * Accounts belong to no tenant, so the tenant part names the kind's scope instead; a sealed row
 * copied to another user, or into another sealed table, never opens.
 */
export function totpBinding(userId: string): SecretBinding {
  return { tenantId: 'accounts', secretId: `totp:${userId}`, version: 1 };
}

export async function sealTotpSecret(
  provider: KeyEncryptionProvider,
  userId: string,
  secret: string,
): Promise<SealedColumns> {
  return toSealedColumns(await sealSecret(provider, totpBinding(userId), secret));
}

export function openTotpSecret(provider: KeyEncryptionProvider, row: SealedTotpRow): Promise<SecretValue> {
  return openSecret(provider, totpBinding(row.user_id), sealedFromRow(row));
}

/**
 * Registered in `vault/sealed-column-registry.ts`. The "tenant" column is the user: rewrap only
 * uses it to tell tenant caches, and no cache holds TOTP secrets.
 */
export const TOTP_SECRET_COLUMNS: SealedColumnSet<{ user_id: string }> = {
  table: 'user_totp',
  noun: 'TOTP secret',
  bindingColumns: ['user_id'],
  tenantColumn: 'user_id',
  binding: (row) => totpBinding(row.user_id),
  describe: (row) => `user ${row.user_id} TOTP secret ${row.id}`,
};
