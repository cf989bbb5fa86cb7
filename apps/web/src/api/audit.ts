import type { Page } from '@messenger-vault/contracts';
import { call, type QueryOf, type Schema } from './client';

export type AuditEvent = Schema<'AuditEventDto'>;
export type AuditAction = AuditEvent['action'];
export type AuditVerification = Schema<'AuditVerificationDto'>;

export interface AuditFilters {
  tenantId?: string;
  action?: AuditAction;
  /** A user id, or an email address matched whole. */
  actor?: string;
  /** ISO 8601: events at or after this time. */
  from?: string;
  /** ISO 8601: events before this time. */
  to?: string;
}

/** Newest first, a page at a time. A tenant admin may read only their own tenant's events. */
export function listAuditEvents(
  filters: AuditFilters & { cursor?: string | null },
  signal?: AbortSignal,
): Promise<Page<AuditEvent>> {
  const { cursor, ...rest } = filters;
  return call('get', '/api/audit', { query: { ...rest, cursor: cursor ?? undefined }, signal });
}

/** Walks the whole hash chain and names the first event that was changed or removed (staff). */
export function verifyAuditChain(): Promise<AuditVerification> {
  return call('get', '/api/audit/verify', {});
}

/**
 * The address of the CSV of every event matching the filters (staff). The browser downloads it
 * itself with the session cookie, so the file streams to disk instead of through the app.
 */
export function auditExportHref(filters: AuditFilters): string {
  // The filters must be ones the export route documents, or this doesn't compile.
  const query: QueryOf<'/api/audit/export.csv', 'get'> = filters;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, String(value));
  const search = params.toString();
  return search ? `/api/audit/export.csv?${search}` : '/api/audit/export.csv';
}
