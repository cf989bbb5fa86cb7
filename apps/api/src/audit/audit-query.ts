import { validationError } from '../common/errors';
import type { AuditAction } from './audit-actions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditFilters {
  tenantId?: string;
  action?: AuditAction;
  /** A user id, or an email (matched whole, case-insensitively). */
  actor?: string;
  /** ISO 8601; from is inclusive, to exclusive. */
  from?: string;
  to?: string;
}

/** Whose events a reader may see: everything (staff), or the live tenants a user administers. */
export type AuditScope = { kind: 'all' } | { kind: 'memberOf'; userId: string };

/** Cursors are the seq of the last event on the page: newest first, so the next page is below it. */
export function encodeAuditCursor(seq: string): string {
  return Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
}

export function decodeAuditCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const match = /^seq:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw validationError({
      cursor: ['cursor is not one this API issued; pass back nextCursor from the previous page unchanged.'],
    });
  }
  return match[1]!;
}

export function assertRange(filters: AuditFilters): void {
  if (filters.from && filters.to && Date.parse(filters.from) >= Date.parse(filters.to)) {
    throw validationError({ to: ['to must be later than from.'] });
  }
}

/** WHERE conditions for the filters and scope, appending their values to `params`. */
export function auditConditions(filters: AuditFilters, scope: AuditScope, params: unknown[]): string[] {
  const where: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (scope.kind === 'memberOf') {
    where.push(`e.tenant_id IN (SELECT m.tenant_id FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                                  WHERE m.user_id = ${param(scope.userId)} AND t.archived_at IS NULL)`);
  }
  if (filters.tenantId) where.push(`e.tenant_id = ${param(filters.tenantId)}::uuid`);
  if (filters.action) where.push(`e.action = ${param(filters.action)}`);
  if (filters.actor) {
    where.push(
      UUID.test(filters.actor)
        ? `e.actor_user_id = ${param(filters.actor)}::uuid`
        : `e.actor_email = ${param(filters.actor.trim().toLowerCase())}`,
    );
  }
  if (filters.from) where.push(`e.occurred_at >= ${param(filters.from)}::timestamptz`);
  if (filters.to) where.push(`e.occurred_at < ${param(filters.to)}::timestamptz`);
  return where;
}
