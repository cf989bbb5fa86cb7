import { csvLine } from '@messenger-vault/contracts';
import { AUDIT_EVENT_COLUMNS, type AuditRow } from './audit-hash';

/** The one CSV rule (libs/contracts `csv.ts`), shared with the web's exports. */
export { csvLine };

/** The export's columns are the table's, in its order (audit-hash.ts). */
export const AUDIT_CSV_HEADER = AUDIT_EVENT_COLUMNS;

export function auditCsvLine(row: AuditRow): string {
  return csvLine(
    AUDIT_EVENT_COLUMNS.map((c) => {
      if (c === 'occurred_at') return row.occurred_at.toISOString();
      if (c === 'metadata') return JSON.stringify(row.metadata);
      return row[c];
    }),
  );
}
