import type { AuditRow } from './audit-hash';

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

/**
 * One RFC 4180 cell. A value a spreadsheet would run as a formula (starting with = + - @, tab
 * or carriage return) is prefixed with a single quote, as OWASP advises: emails, user agents
 * and tenant names are typed by people we do not trust.
 */
export function csvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: Array<string | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

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
