import type { DataSource, EntityManager } from 'typeorm';
import { AUDIT_EVENT_COLUMNS, AuditRow, hashAuditEvent } from './audit-hash';

/**
 * Every writer takes this transaction-scoped advisory lock before reading the chain's head, so
 * writers on every replica append one at a time and the chain never forks. Any constant works;
 * it only has to be the same in every replica (see docs/decisions/0008).
 */
export const AUDIT_CHAIN_LOCK = 725_511_003;

/** Select with the table aliased `e` and order by `e.seq`: a bare `seq` would sort the text alias. */
export const AUDIT_COLUMNS = AUDIT_EVENT_COLUMNS.map((c) => (c === 'seq' ? 'seq::text AS seq' : c)).join(', ');

export interface AuditVerification {
  valid: boolean;
  /** Events examined, up to and including the first broken one. */
  checked: number;
  firstBrokenId: string | null;
  firstBrokenSeq: string | null;
  /** Why the first broken event fails, for people; null when the chain is valid. */
  problem: string | null;
}

export interface VerifyOptions {
  batchSize?: number;
  /** Called after each batch with the events checked so far and the head's seq at the start. */
  onProgress?: (checked: number, total: number) => void;
}

/**
 * Walks the chain in seq order, in batches (memory stays flat for any size of trail), and stops
 * at the first event that does not link to its predecessor or whose hash does not match its
 * contents. Events appended while it runs are left for the next run.
 */
export async function verifyAuditChain(
  db: DataSource | EntityManager,
  { batchSize = 1000, onProgress }: VerifyOptions = {},
): Promise<AuditVerification> {
  const [{ head } = { head: null }]: Array<{ head: string | null }> = await db.query(
    `SELECT max(seq)::text AS head FROM audit_events`,
  );
  const total = Number(head ?? 0);
  let checked = 0;
  let prevHash: string | null = null;
  let prevSeq = 0n;
  const broken = (row: AuditRow, problem: string): AuditVerification => ({
    valid: false,
    checked,
    firstBrokenId: row.id,
    firstBrokenSeq: row.seq,
    problem,
  });
  for (;;) {
    const rows: AuditRow[] = await db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events e WHERE e.seq > $1 AND e.seq <= $2 ORDER BY e.seq LIMIT $3`,
      [prevSeq.toString(), head ?? '0', batchSize],
    );
    for (const row of rows) {
      checked++;
      const seq = BigInt(row.seq);
      if (seq !== prevSeq + 1n) {
        return broken(row, `event ${row.seq} follows event ${prevSeq}: the events between were removed`);
      }
      if (row.prev_hash !== prevHash) {
        return broken(row, `event ${row.seq} does not link to the event before it: that one was changed or removed`);
      }
      if (hashAuditEvent(row) !== row.hash) {
        return broken(row, `event ${row.seq} was changed after it was written: its hash does not match its contents`);
      }
      prevHash = row.hash;
      prevSeq = seq;
    }
    if (rows.length) onProgress?.(checked, total);
    if (rows.length < batchSize) break;
  }
  return { valid: true, checked, firstBrokenId: null, firstBrokenSeq: null, problem: null };
}
