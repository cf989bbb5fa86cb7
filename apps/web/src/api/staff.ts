import type { ProblemCode } from '@messenger-vault/contracts';
import { call, type QueryOf, type Schema } from './client';

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

/**
 * The address of the CSV of every tenant matching the query, in its order (staff). The API
 * streams it and the browser downloads it itself with the session cookie, so 100,000 rows never
 * pass through the app.
 */
export function integrationsExportHref(query: IntegrationsQuery): string {
  const { problems, q, sort, order } = query;
  // The parameters must be ones the export route documents, or this doesn't compile.
  const params: QueryOf<'/api/staff/integrations/export.csv', 'get'> = {
    problem: problems && problems.length > 0 ? problems.join(',') : undefined,
    q: q || undefined,
    sort,
    order,
  };
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, String(value));
  const text = search.toString();
  return text ? `/api/staff/integrations/export.csv?${text}` : '/api/staff/integrations/export.csv';
}

/** Tokens issued per platform per UTC day, oldest first: across tenants, or for one (staff). */
export function getTokenUsage({ days, tenantId }: { days: number; tenantId?: string }, signal?: AbortSignal) {
  return call('get', '/api/staff/token-usage', { query: { days, tenantId }, signal });
}

/** Staff: removes an account's TOTP and recovery codes (a lost device); every session of it ends. */
export async function resetUserMfa(userId: string): Promise<void> {
  await call('delete', '/api/staff/users/{userId}/mfa', { path: { userId } });
}
