import { DecryptionFailed, type KeyEncryptionProvider, rewrapSealed, VaultError } from '@messenger-vault/vault';
import type { DataSource, EntityManager } from 'typeorm';
import { recordKeyCheck } from './master-key-check';
import { SEALED_COLUMN_SETS } from './sealed-column-registry';
import { SEALED_COLUMNS, type SealedColumnSet, sealedFromRow } from './sealed-column-set';

export const DEFAULT_REWRAP_BATCH_SIZE = 500;
// Rows a concurrent transaction holds (a retire in flight) are skipped, then waited for this often.
const BUSY_RETRY_MS = 200;
const BUSY_RETRIES = 50;

export interface RewrapProgress {
  /** Rows re-wrapped by this run so far. */
  done: number;
  /** Rows not under the active key when the run started, or `done` if more arrived since. */
  total: number;
  batches: number;
}

export interface RewrapOptions {
  batchSize?: number;
  /** Stops between batches; every committed batch stays done. */
  signal?: AbortSignal;
  onBatch?: (progress: RewrapProgress) => void;
  /** Runs inside each batch's transaction, before its commit: lets a test crash a batch half way. */
  beforeCommit?: (batch: number) => Promise<void> | void;
}

export interface RewrapResult {
  /** Rows re-wrapped, over every registered sealed column set. */
  rewrapped: number;
  /** Per table: how many rows this run moved. */
  byTable: Record<string, number>;
  /** Rows still under another key: when stopped early, rows stayed busy, or rows won't open. */
  remaining: number;
  stopped: boolean;
  /** Rows whose data key fails to authenticate (altered or copied rows): left as they are. */
  unopenable: UnopenableRow[];
}

export interface UnopenableRow {
  table: string;
  noun: string;
  /** Ids only, e.g. "tenant … version 3". */
  description: string;
}

type SealedRow = Record<string, unknown> & {
  id: string;
  ciphertext: Buffer;
  iv: Buffer;
  wrapped_key: Buffer;
  master_key_id: string;
};

/**
 * Master key rotation: re-wraps every data key not under the active master key, in every
 * registered sealed column set (`sealed-column-registry.ts`). Online and resumable: each batch is
 * one transaction over rows locked with SKIP LOCKED, so the API keeps serving, a second run never
 * blocks on the first, and a run killed at any point leaves every row either fully old or fully
 * new. Running it again finishes the job.
 */
export async function rewrapAll(
  db: DataSource,
  provider: KeyEncryptionProvider,
  options: RewrapOptions = {},
  sets: readonly SealedColumnSet[] = SEALED_COLUMN_SETS,
): Promise<RewrapResult> {
  const batchSize = options.batchSize ?? DEFAULT_REWRAP_BATCH_SIZE;
  const active = provider.activeKeyId();
  await recordKeyCheck(db, provider, active);
  const total = await countNotUnder(db, active, sets);
  const unopenable: UnopenableRow[] = [];
  const byTable: Record<string, number> = Object.fromEntries(sets.map((set) => [set.table, 0]));
  let done = 0;
  let batches = 0;
  const result = async (stopped: boolean): Promise<RewrapResult> => ({
    rewrapped: done,
    byTable,
    remaining: await countNotUnder(db, active, sets),
    stopped,
    unopenable,
  });
  for (const set of sets) {
    const skip: string[] = [];
    let busyRetries = 0;
    for (;;) {
      if (options.signal?.aborted) return result(true);
      const batch = batches + 1;
      const outcome = await db.transaction((tx) =>
        rewrapBatch(tx, provider, set, batchSize, skip, () => options.beforeCommit?.(batch)),
      );
      for (const row of outcome.unopenable) {
        skip.push(row.id);
        unopenable.push({ table: set.table, noun: set.noun, description: set.describe(row) });
      }
      if (outcome.rewrapped > 0 || outcome.unopenable.length > 0) {
        done += outcome.rewrapped;
        byTable[set.table]! += outcome.rewrapped;
        batches = batch;
        busyRetries = 0;
        options.onBatch?.({ done, total: Math.max(total, done), batches });
        continue;
      }
      const remaining = (await countNotUnder(db, active, [set])) - skip.length;
      if (remaining <= 0) break;
      if (++busyRetries > BUSY_RETRIES) return result(true);
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
  return result(false);
}

async function rewrapBatch(
  tx: EntityManager,
  provider: KeyEncryptionProvider,
  set: SealedColumnSet,
  batchSize: number,
  skipIds: string[],
  beforeCommit: () => Promise<void> | void,
): Promise<{ rewrapped: number; unopenable: SealedRow[] }> {
  const active = provider.activeKeyId();
  const columns = [...new Set(['id', set.tenantColumn, ...set.bindingColumns, ...SEALED_COLUMNS])].join(', ');
  const rows: SealedRow[] = await tx.query(
    `SELECT ${columns}
       FROM ${set.table}
      WHERE master_key_id = ANY(SELECT master_key_id FROM vault_master_keys WHERE master_key_id <> $1)
        AND id <> ALL($3::uuid[])
      LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [active, batchSize, skipIds],
  );
  const ids: string[] = [];
  const wrappedKeys: Buffer[] = [];
  const unopenable: SealedRow[] = [];
  for (const row of rows) {
    try {
      const { sealed } = await rewrapSealed(provider, set.binding(row), sealedFromRow(row));
      ids.push(row.id);
      wrappedKeys.push(sealed.wrappedKey);
    } catch (err) {
      // One altered row must not block rotating every other; a missing key must stop the run.
      if (!(err instanceof DecryptionFailed) && !(err instanceof VaultError && err.code === 'MALFORMED_SEALED_SECRET'))
        throw err;
      unopenable.push(row);
    }
  }
  if (ids.length > 0) {
    await tx.query(
      `UPDATE ${set.table} v SET wrapped_key = u.wrapped_key, master_key_id = $1
         FROM unnest($2::uuid[], $3::bytea[]) AS u(id, wrapped_key)
        WHERE v.id = u.id`,
      [active, ids, wrappedKeys],
    );
    await set.afterRewrap?.(
      tx,
      rows.filter((r) => ids.includes(r.id)).map((r) => String(r[set.tenantColumn])),
    );
  }
  await beforeCommit();
  return { rewrapped: ids.length, unopenable };
}

/** Rows in the given sets (every registered one by default) not under `masterKeyId`. */
export async function countNotUnder(
  db: Pick<DataSource, 'query'>,
  masterKeyId: string,
  sets: readonly SealedColumnSet[] = SEALED_COLUMN_SETS,
): Promise<number> {
  const rows: Array<{ n: number }> = await db.query(
    `SELECT count(*)::int AS n FROM (${sets.map((s) => `SELECT master_key_id FROM ${s.table}`).join(' UNION ALL ')}) sealed
      WHERE master_key_id <> $1`,
    [masterKeyId],
  );
  return rows[0]!.n;
}
