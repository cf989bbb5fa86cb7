import {
  DecryptionFailed,
  fromSealedColumns,
  type KeyEncryptionProvider,
  openSecret,
  VaultError,
} from '@messenger-vault/vault';
import type { DataSource } from 'typeorm';
import { openWebhookSecret } from '../rotation/webhook-secret';

const BATCH = 500;

export interface UnopenableRow {
  table: 'secret_versions' | 'webhook_endpoints';
  id: string;
  tenantId: string;
  /** Secret versions only. */
  version?: number;
  /** The column to look at first. */
  column: 'wrapped_key' | 'ciphertext' | 'iv';
  reason: string;
}

interface SealedRow {
  id: string;
  tenant_id: string;
  secret_id?: string;
  version?: number;
  ciphertext: Buffer;
  iv: Buffer;
  wrapped_key: Buffer;
  master_key_id: string;
}

/**
 * Every stored secret the keyring holds the key for but that still does not open: a row altered,
 * copied between tenants, or sealed under a binding that differs from its columns (an id spelt
 * in capitals at the time). Rows under a master key missing from the keyring are left out: the
 * per-key lines already say so. Opens each row in full, so it reads every version once.
 */
export async function findUnopenable(db: DataSource, provider: KeyEncryptionProvider): Promise<UnopenableRow[]> {
  const found: UnopenableRow[] = [];
  const held = [...provider.keyIds()];
  const scan = async (table: UnopenableRow['table'], columns: string, open: (row: SealedRow) => Promise<unknown>) => {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: SealedRow[] = await db.query(
        `SELECT ${columns} FROM ${table} WHERE id > $1 AND master_key_id = ANY($2) ORDER BY id LIMIT $3`,
        [after, held, BATCH],
      );
      for (const row of rows) {
        try {
          await open(row);
        } catch (err) {
          if (!(err instanceof VaultError)) throw err;
          found.push({
            table,
            id: row.id,
            tenantId: row.tenant_id,
            ...(row.version !== undefined ? { version: row.version } : {}),
            ...describe(err),
          });
        }
      }
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1]!.id;
    }
  };
  await scan(
    'secret_versions',
    'id, tenant_id, secret_id, version, ciphertext, iv, wrapped_key, master_key_id',
    (row) =>
      openSecret(
        provider,
        { tenantId: row.tenant_id, secretId: row.secret_id!, version: row.version! },
        fromSealedColumns({
          ciphertext: row.ciphertext,
          iv: row.iv,
          wrappedKey: row.wrapped_key,
          masterKeyId: row.master_key_id,
        }),
      ),
  );
  await scan('webhook_endpoints', 'id, tenant_id, ciphertext, iv, wrapped_key, master_key_id', (row) =>
    openWebhookSecret(provider, row),
  );
  return found;
}

function describe(err: VaultError): Pick<UnopenableRow, 'column' | 'reason'> {
  if (err instanceof DecryptionFailed && err.layer === 'data-key')
    return {
      column: 'wrapped_key',
      reason: `the data key does not unwrap under "${err.masterKeyId}" for this row's tenant, secret and version`,
    };
  if (err instanceof DecryptionFailed)
    return { column: 'ciphertext', reason: 'the ciphertext fails authentication for this row' };
  return { column: 'ciphertext', reason: err.message };
}
