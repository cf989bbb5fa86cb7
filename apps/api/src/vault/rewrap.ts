import {
  DecryptionFailed,
  fromSealedColumns,
  type KeyEncryptionProvider,
  rewrapSealed,
  VaultError,
} from '@messenger-vault/vault';
import type { DataSource, EntityManager } from 'typeorm';
import { recordKeyCheck } from './master-key-check';
import { notifySecretChanged } from './secret-change';

export const DEFAULT_REWRAP_BATCH_SIZE = 500;
// Rows a concurrent transaction holds (a retire in flight) are skipped, then waited for this often.
const BUSY_RETRY_MS = 200;
const BUSY_RETRIES = 50;

export interface RewrapProgress {
  /** Versions re-wrapped by this run so far. */
  done: number;
  /** Versions not under the active key when the run started, or `done` if more arrived since. */
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
  rewrapped: number;
  /** Versions still under another key: when stopped early, rows stayed busy, or rows won't open. */
  remaining: number;
  stopped: boolean;
  /** Rows whose data key fails to authenticate (altered or copied rows): left as they are. */
  unopenable: Array<{ tenantId: string; version: number }>;
}

interface SealedRow {
  id: string;
  tenant_id: string;
  secret_id: string;
  version: number;
  ciphertext: Buffer;
  iv: Buffer;
  wrapped_key: Buffer;
  master_key_id: string;
}

/**
 * Master key rotation: re-wraps every data key not under the active master key. Online and
 * resumable: each batch is one transaction over rows locked with SKIP LOCKED, so the API keeps
 * serving, a second run never blocks on the first, and a run killed at any point leaves every
 * row either fully old or fully new. Running it again finishes the job.
 */
export async function rewrapAll(
  db: DataSource,
  provider: KeyEncryptionProvider,
  options: RewrapOptions = {},
): Promise<RewrapResult> {
  const batchSize = options.batchSize ?? DEFAULT_REWRAP_BATCH_SIZE;
  const active = provider.activeKeyId();
  await recordKeyCheck(db, provider, active);
  const total = await countNotUnder(db, active);
  const unopenable: SealedRow[] = [];
  let done = 0;
  let batches = 0;
  let busyRetries = 0;
  const result = async (stopped: boolean): Promise<RewrapResult> => ({
    rewrapped: done,
    remaining: await countNotUnder(db, active),
    stopped,
    unopenable: unopenable.map((r) => ({ tenantId: r.tenant_id, version: r.version })),
  });
  for (;;) {
    if (options.signal?.aborted) return result(true);
    const batch = batches + 1;
    const skip = unopenable.map((r) => r.id);
    const outcome = await db.transaction((tx) =>
      rewrapBatch(tx, provider, batchSize, skip, () => options.beforeCommit?.(batch)),
    );
    unopenable.push(...outcome.unopenable);
    if (outcome.rewrapped > 0 || outcome.unopenable.length > 0) {
      done += outcome.rewrapped;
      batches = batch;
      busyRetries = 0;
      options.onBatch?.({ done, total: Math.max(total, done), batches });
      continue;
    }
    const remaining = (await countNotUnder(db, active)) - unopenable.length;
    if (remaining <= 0) return result(false);
    if (++busyRetries > BUSY_RETRIES) return result(true);
    await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
  }
}

async function rewrapBatch(
  tx: EntityManager,
  provider: KeyEncryptionProvider,
  batchSize: number,
  skipIds: string[],
  beforeCommit: () => Promise<void> | void,
): Promise<{ rewrapped: number; unopenable: SealedRow[] }> {
  const active = provider.activeKeyId();
  const rows: SealedRow[] = await tx.query(
    `SELECT id, tenant_id, secret_id, version, ciphertext, iv, wrapped_key, master_key_id
       FROM secret_versions
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
      const { sealed } = await rewrapSealed(
        provider,
        { tenantId: row.tenant_id, secretId: row.secret_id, version: row.version },
        fromSealedColumns({
          ciphertext: row.ciphertext,
          iv: row.iv,
          wrappedKey: row.wrapped_key,
          masterKeyId: row.master_key_id,
        }),
      );
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
      `UPDATE secret_versions v SET wrapped_key = u.wrapped_key, master_key_id = $1
         FROM unnest($2::uuid[], $3::bytea[]) AS u(id, wrapped_key)
        WHERE v.id = u.id`,
      [active, ids, wrappedKeys],
    );
    await notifySecretChanged(
      tx,
      rows.map((r) => r.tenant_id),
    );
  }
  await beforeCommit();
  return { rewrapped: ids.length, unopenable };
}

export async function countNotUnder(db: DataSource, masterKeyId: string): Promise<number> {
  const rows: Array<{ n: number }> = await db.query(
    `SELECT count(*)::int AS n FROM secret_versions WHERE master_key_id <> $1`,
    [masterKeyId],
  );
  return rows[0]!.n;
}
