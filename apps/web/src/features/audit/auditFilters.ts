import type { AuditAction, AuditFilters } from '../../api/audit';
import { AUDIT_ACTION_LABELS } from './auditActions';

/**
 * The filters of the audit log across tenants, as the address holds them
 * (`?tenant=<id>&action=…&actor=…&from=2026-05-01&to=2026-05-31`) and as the API takes them. Days
 * are the reader's own calendar days, both ends included; the API gets the exact instants.
 */
export interface StaffAuditFilters {
  tenantId: string;
  action: AuditAction | '';
  actor: string;
  /** `YYYY-MM-DD` or empty. */
  fromDay: string;
  /** `YYYY-MM-DD` or empty; the whole day is included. */
  toDay: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function auditFiltersFromSearchParams(params: URLSearchParams): StaffAuditFilters {
  const tenantId = params.get('tenant') ?? '';
  const action = params.get('action') ?? '';
  return {
    tenantId: UUID.test(tenantId) ? tenantId : '',
    action: action in AUDIT_ACTION_LABELS ? (action as AuditAction) : '',
    actor: (params.get('actor') ?? '').slice(0, 320),
    fromDay: parseDay(params.get('from') ?? '') ? (params.get('from') ?? '') : '',
    toDay: parseDay(params.get('to') ?? '') ? (params.get('to') ?? '') : '',
  };
}

export function auditFiltersToSearchParams(filters: StaffAuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.tenantId) params.set('tenant', filters.tenantId);
  if (filters.action) params.set('action', filters.action);
  if (filters.actor.trim()) params.set('actor', filters.actor.trim());
  if (filters.fromDay) params.set('from', filters.fromDay);
  if (filters.toDay) params.set('to', filters.toDay);
  return params;
}

/** The API's query: `from` is the start of the first day, `to` the start of the day after the last. */
export function auditQuery(filters: StaffAuditFilters): AuditFilters {
  const from = parseDay(filters.fromDay);
  const to = parseDay(filters.toDay);
  return {
    tenantId: filters.tenantId || undefined,
    action: filters.action || undefined,
    actor: filters.actor.trim() || undefined,
    from: from?.toISOString(),
    to: to ? new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1).toISOString() : undefined,
  };
}

/** Said under the "To" field when the range is back to front. */
export function dayRangeError(filters: StaffAuditFilters): string | null {
  const from = parseDay(filters.fromDay);
  const to = parseDay(filters.toDay);
  return from && to && to < from ? 'The last day is before the first day.' : null;
}

/** `2026-05-01` → midnight of that day in the reader's time zone; null when it isn't a real day. */
export function parseDay(day: string): Date | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const result = new Date(year, month - 1, date);
  return result.getFullYear() === year && result.getMonth() === month - 1 && result.getDate() === date ? result : null;
}
