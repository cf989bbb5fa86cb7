import { csvLine } from '@messenger-vault/contracts';
import type { AuditRow } from './audit-hash';

/** The one CSV rule (libs/contracts `csv.ts`), shared with the web's exports. */
export { csvLine };

export const AUDIT_CSV_HEADER = [
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

export function auditCsvLine(row: AuditRow): string {
  return csvLine([
    row.id,
    row.seq,
    row.occurred_at.toISOString(),
    row.actor_kind,
    row.actor_user_id,
    row.actor_email,
    row.tenant_id,
    row.action,
    row.target_type,
    row.target_id,
    JSON.stringify(row.metadata),
    row.ip,
    row.user_agent,
    row.request_id,
    row.prev_hash,
    row.hash,
  ]);
}
