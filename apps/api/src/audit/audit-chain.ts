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

/**
 * Events per keyset batch: big enough that round trips do not dominate, small enough for flat
 * memory and for the driver's parse of one answer not to hold the event loop (5,000 rows held it
 * for ~50 ms; 1,000 costs ~5% more time over a million events).
 */
export const VERIFY_BATCH_SIZE = 1000;
/** Hashing yields to the event loop after this much work, so requests wait at most that long. */
const SLICE_MS = 5;

/** AUDIT_COLUMNS qualified by the alias `e`, for a join with another table's same-named columns. */
const EVENT_COLUMNS_OF_E = AUDIT_EVENT_COLUMNS.map((c) => (c === 'seq' ? 'e.seq::text AS seq' : `e.${c}`)).join(', ');

export interface AuditVerification {
  valid: boolean;
  /** Events examined in this run, up to and including the first broken one. */
  checked: number;
  firstBrokenId: string | null;
  firstBrokenSeq: string | null;
  /** Why the first broken event fails, for people; null when the chain is valid. */
  problem: string | null;
  /**
   * The checkpoint this run started after (its seq), or null for a walk from the first event.
   * Events up to it were verified by an earlier run and not re-read (docs/decisions/0037).
   */
  resumedFromSeq: string | null;
}

export interface VerifyOptions {
  batchSize?: number;
  /**
   * Start after the latest checkpoint whose event still has the hash recorded for it, instead of
   * at the first event. Faster, but an event changed before that checkpoint goes unnoticed until
   * the next full run: the checkpoint re-checks only its own event.
   */
  fromCheckpoint?: boolean;
  /** Called after each batch with the events checked so far and how many this run will check. */
  onProgress?: (checked: number, total: number) => void;
}

interface Checkpoint {
  seq: string;
  hash: string;
}

/**
 * Walks the chain in seq order, in keyset batches (memory stays flat for any size of trail), and
 * stops at the first event that does not link to its predecessor or whose hash does not match
 * its contents. Events appended while it runs are left for the next run. A valid run records a
 * checkpoint at the last event it verified.
 */
export async function verifyAuditChain(
  db: DataSource | EntityManager,
  { batchSize = VERIFY_BATCH_SIZE, fromCheckpoint = false, onProgress }: VerifyOptions = {},
): Promise<AuditVerification> {
  const [{ head } = { head: null }]: Array<{ head: string | null }> = await db.query(
    `SELECT max(seq)::text AS head FROM audit_events`,
  );
  const start = fromCheckpoint ? await latestSoundCheckpoint(db) : null;
  let checked = 0;
  let prevHash: string | null = start?.hash ?? null;
  let prevSeq = BigInt(start?.seq ?? 0);
  const total = Math.max(0, Number(head ?? 0) - Number(prevSeq));
  const resumedFromSeq = start?.seq ?? null;
  let last: AuditRow | null = null;
  const broken = (row: AuditRow, problem: string): AuditVerification => ({
    valid: false,
    checked,
    firstBrokenId: row.id,
    firstBrokenSeq: row.seq,
    problem,
    resumedFromSeq,
  });
  for (;;) {
    const rows: AuditRow[] = await db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events e WHERE e.seq > $1 AND e.seq <= $2 ORDER BY e.seq LIMIT $3`,
      [prevSeq.toString(), head ?? '0', batchSize],
    );
    let slice = performance.now();
    for (const row of rows) {
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
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
      last = row;
    }
    if (rows.length) onProgress?.(checked, total);
    if (rows.length < batchSize) break;
  }
  if (last) {
    await db.query(
      `INSERT INTO audit_verify_checkpoints (seq, event_id, hash, events) VALUES ($1, $2, $3, $1)
       ON CONFLICT (seq) DO UPDATE SET verified_at = now()`,
      [last.seq, last.id, last.hash],
    );
  }
  return { valid: true, checked, firstBrokenId: null, firstBrokenSeq: null, problem: null, resumedFromSeq };
}

/**
 * The newest checkpoint whose event is still there with the hash it had, and still hashes to it
 * (a rewritten checkpoint row, or an event edited in place, sends the search further back).
 * Older checkpoints are tried a few at a time; none sound means a walk from the start.
 */
async function latestSoundCheckpoint(db: DataSource | EntityManager): Promise<Checkpoint | null> {
  let below: string | null = null;
  for (;;) {
    const rows: Array<AuditRow & { checkpoint_seq: string; checkpoint_hash: string; checkpoint_id: string }> =
      await db.query(
        `SELECT ${EVENT_COLUMNS_OF_E}, c.seq::text AS checkpoint_seq, c.hash AS checkpoint_hash,
                c.event_id::text AS checkpoint_id
         FROM audit_verify_checkpoints c LEFT JOIN audit_events e ON e.seq = c.seq
        WHERE $1::bigint IS NULL OR c.seq < $1::bigint
        ORDER BY c.seq DESC LIMIT 20`,
        [below],
      );
    if (!rows.length) return null;
    for (const row of rows) {
      if (row.id === row.checkpoint_id && row.hash === row.checkpoint_hash && hashAuditEvent(row) === row.hash) {
        return { seq: row.seq, hash: row.hash };
      }
    }
    below = rows[rows.length - 1]!.checkpoint_seq;
  }
}
