import {
  DecryptionFailed,
  type KeyEncryptionProvider,
  KeyProviderUnavailable,
  openSecret,
  VaultError,
} from '@messenger-vault/vault';
import type { DataSource } from 'typeorm';
import { SEALED_COLUMN_SETS } from './sealed-column-registry';
import { sealedFromRow } from './sealed-column-set';

const BATCH = 500;

export interface UnopenableRow {
  table: string;
  id: string;
  /** The set's own description of the row (tenant, version): ids only. */
  what: string;
  /** The column to look at first. */
  column: 'wrapped_key' | 'ciphertext';
  reason: string;
}

interface SealedRow {
  id: string;
  ciphertext: Buffer;
  iv: Buffer;
  wrapped_key: Buffer;
  master_key_id: string;
  [column: string]: unknown;
}

/**
 * Every sealed secret, in every registered table, whose master key the keyring holds but that
 * still does not open: a row altered, copied between tenants, or sealed under a binding its
 * columns no longer spell (an id in capitals, before ids were canonical). Rows under a key
 * missing from the keyring are left out: the per-key lines already say so. Opens each row in
 * full, so it reads every sealed row once, in batches.
 */
export async function findUnopenable(db: DataSource, provider: KeyEncryptionProvider): Promise<UnopenableRow[]> {
  const found: UnopenableRow[] = [];
  const held = [...provider.keyIds()];
  for (const set of SEALED_COLUMN_SETS) {
    const columns = ['id', 'ciphertext', 'iv', 'wrapped_key', 'master_key_id', ...set.bindingColumns].join(', ');
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: SealedRow[] = await db.query(
        `SELECT ${columns} FROM ${set.table} WHERE id > $1 AND master_key_id = ANY($2) ORDER BY id LIMIT $3`,
        [after, held, BATCH],
      );
      for (const row of rows) {
        try {
          await openSecret(provider, set.binding(row), sealedFromRow(row));
        } catch (err) {
          // A key store that does not answer says nothing about the rows: stop and say so.
          if (!(err instanceof VaultError) || err instanceof KeyProviderUnavailable) throw err;
          found.push({ table: set.table, id: row.id, what: set.describe(row), ...explain(err) });
        }
      }
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1]!.id;
    }
  }
  return found;
}

function explain(err: VaultError): Pick<UnopenableRow, 'column' | 'reason'> {
  if (err instanceof DecryptionFailed && err.layer === 'data-key')
    return {
      column: 'wrapped_key',
      reason: `the data key does not unwrap under "${err.masterKeyId}" for this row's binding (tenant, secret, version)`,
    };
  if (err instanceof DecryptionFailed)
    return { column: 'ciphertext', reason: 'the ciphertext fails authentication for this row' };
  return { column: 'ciphertext', reason: err.message };
}
