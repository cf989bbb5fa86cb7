import type { Page } from '@messenger-vault/contracts';
import { call, type Schema } from './client';

export type AuditEvent = Schema<'AuditEventDto'>;
export type AuditAction = AuditEvent['action'];

export interface AuditFilters {
  tenantId?: string;
  action?: AuditAction;
}

/** Newest first, a page at a time. A tenant admin may read only their own tenant's events. */
export function listAuditEvents(
  filters: AuditFilters & { cursor?: string | null },
  signal?: AbortSignal,
): Promise<Page<AuditEvent>> {
  const { cursor, ...rest } = filters;
  return call('get', '/api/audit', { query: { ...rest, cursor: cursor ?? undefined }, signal });
}
