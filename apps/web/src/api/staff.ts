import type { ProblemCode } from '@messenger-vault/contracts';
import { call, type Schema } from './client';

export type IntegrationRow = Schema<'IntegrationRowDto'>;
export type IntegrationPage = Schema<'IntegrationPageDto'>;
export type TokenUsage = Schema<'TokenUsageDto'>;
export type IntegrationSort = 'name' | 'rotationDueAt' | 'lastTokenAt' | 'tokensLast24h' | 'problems';

export interface IntegrationsQuery {
  /** Tenants with any of these open problems; all tenants when empty. */
  problems?: readonly ProblemCode[];
  q?: string;
  sort?: IntegrationSort;
  order?: 'asc' | 'desc';
}

/** The most rows the API gives in one page. */
export const MAX_INTEGRATIONS_PAGE = 500;

/** Every live tenant's integration at a glance (staff), filtered and sorted by the API. */
export function listIntegrations(
  query: IntegrationsQuery & { cursor?: string | null; limit?: number },
  signal?: AbortSignal,
): Promise<IntegrationPage> {
  const { problems, q, sort, order, cursor, limit } = query;
  return call('get', '/api/staff/integrations', {
    query: {
      // The API takes several problems comma-separated and keeps rows with any of them.
      problem: problems && problems.length > 0 ? problems.join(',') : undefined,
      q: q || undefined,
      sort,
      order,
      cursor: cursor ?? undefined,
      limit,
    },
    signal,
  });
}

/** Every row matching the query, page after page: what a CSV export holds. */
export async function listAllIntegrations(query: IntegrationsQuery, signal?: AbortSignal): Promise<IntegrationRow[]> {
  const rows: IntegrationRow[] = [];
  let cursor: string | null = null;
  do {
    const page: IntegrationPage = await listIntegrations({ ...query, cursor, limit: MAX_INTEGRATIONS_PAGE }, signal);
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

/** Tokens issued per platform per UTC day, oldest first: across tenants, or for one (staff). */
export function getTokenUsage({ days, tenantId }: { days: number; tenantId?: string }, signal?: AbortSignal) {
  return call('get', '/api/staff/token-usage', { query: { days, tenantId }, signal });
}

/** Staff: removes an account's TOTP and recovery codes (a lost device); every session of it ends. */
export async function resetUserMfa(userId: string): Promise<void> {
  await call('delete', '/api/staff/users/{userId}/mfa', { path: { userId } });
}
