import { createHash } from 'node:crypto';

/**
 * Every column of `audit_events`, in table order: the one list the hash, the SELECTs, the INSERT
 * and the CSV export are built from. A column missing here would escape tamper detection, so
 * `apps/api/test/audit-columns.test.ts` compares it with information_schema.
 */
export const AUDIT_EVENT_COLUMNS = [
  'id',
  'seq',
  'occurred_at',
  'actor_kind',
  'actor_user_id',
  'actor_email',
  'tenant_id',
  'action',
  'target_type',
  'target_id',
  'metadata',
  'ip',
  'user_agent',
  'request_id',
  'prev_hash',
  'hash',
] as const;
export type AuditColumn = (typeof AUDIT_EVENT_COLUMNS)[number];

/** What the chain link covers: every column but the link itself. */
export const HASHED_AUDIT_COLUMNS = AUDIT_EVENT_COLUMNS.filter((c): c is Exclude<AuditColumn, 'hash'> => c !== 'hash');

/** One stored audit event, exactly as the columns of `audit_events` hold it. */
export interface AuditRow {
  id: string;
  seq: string;
  occurred_at: Date;
  actor_kind: string;
  actor_user_id: string | null;
  actor_email: string | null;
  tenant_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  prev_hash: string | null;
  hash: string;
}

// AuditRow has exactly the listed columns: adding a field to one and not the other fails tsc.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _rowMatchesColumns: Same<keyof AuditRow, AuditColumn> = true;
void _rowMatchesColumns;

/**
 * JSON with object keys sorted (by UTF-16 code units, JavaScript's default sort) at every
 * depth, no whitespace, arrays in their order, strings and numbers as JSON.stringify writes
 * them. jsonb reorders keys and drops duplicates, so only a key-order-free encoding survives a
 * round trip through Postgres.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The chain link: SHA-256, lowercase hex, of the canonical JSON of every column except `hash`
 * itself — keys are the column names, `seq` is a decimal string (a bigint), `occurred_at` is
 * ISO 8601 UTC with milliseconds (`2024-11-25T10:00:00.000Z`), absent values are `null`, and
 * `prev_hash` is the previous event's `hash` (`null` for the first event). Changing any field,
 * or removing or reordering an event, breaks this or the next link (docs/decisions/0008).
 */
export function hashAuditEvent(row: Omit<AuditRow, 'hash'>): string {
  const fields = Object.fromEntries(HASHED_AUDIT_COLUMNS.map((c) => [c, hashedValue(row, c)]));
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}

function hashedValue(row: Omit<AuditRow, 'hash'>, column: Exclude<AuditColumn, 'hash'>): unknown {
  if (column === 'seq') return String(row.seq);
  if (column === 'occurred_at') return row.occurred_at.toISOString();
  return row[column];
}
