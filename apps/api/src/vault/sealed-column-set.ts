import { fromSealedColumns, type SealedSecret, type SecretBinding } from '@messenger-vault/vault';
import type { Queryable } from './secret-change';

/**
 * A table whose rows hold a sealed secret in the vault's four columns (`ciphertext`, `iv`,
 * `wrapped_key`, `master_key_id`) with a uuid `id`. The vault's rewrap, `vault:status` and the
 * start-up key check walk every registered set (`sealed-column-registry.ts`); a feature that
 * stores a sealed secret declares one and never re-implements those (decision 0025).
 */
export interface SealedColumnSet<Row extends Record<string, unknown> = any> {
  /** The table; a constant, never input. */
  readonly table: string;
  /** What one row is, for messages: "secret version", "webhook signing secret". */
  readonly noun: string;
  /** The columns besides `id` the AAD binding is computed from. */
  readonly bindingColumns: readonly (keyof Row & string)[];
  /** The AAD binding the row's secret was sealed with: a row copied elsewhere won't open. */
  binding(row: Row & { id: string }): SecretBinding;
  /** Names a row in a report ("tenant … version 3"); ids only, never secret material. */
  describe(row: Row & { id: string }): string;
  /** The tenant each row belongs to (caches to tell), when a rewrap changed some. */
  readonly tenantColumn: keyof Row & string;
  /** Runs in the rewrap's transaction after rows moved, e.g. to tell caches. */
  afterRewrap?(tx: Queryable, tenantIds: string[]): Promise<void>;
}

/** The columns every set has; the registry test checks them against information_schema. */
export const SEALED_COLUMNS = ['ciphertext', 'iv', 'wrapped_key', 'master_key_id'] as const;

/** The four columns as a query returns them. */
export interface SealedColumnsRow {
  ciphertext: Buffer;
  iv: Buffer;
  wrapped_key: Buffer;
  master_key_id: string;
}

/** A row's sealed secret, as the vault opens or rewraps it. */
export function sealedFromRow(row: SealedColumnsRow): SealedSecret {
  return fromSealedColumns({
    ciphertext: row.ciphertext,
    iv: row.iv,
    wrappedKey: row.wrapped_key,
    masterKeyId: row.master_key_id,
  });
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A set's names go into SQL text: refuse anything that is not a plain identifier. */
export function checkSealedColumnSet(set: SealedColumnSet): SealedColumnSet {
  for (const name of [set.table, set.tenantColumn, ...set.bindingColumns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`sealed column set ${set.table}: "${name}" is not a plain identifier`);
  }
  return set;
}
