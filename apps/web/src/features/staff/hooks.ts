import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type IntegrationsQuery, getTokenUsage, listIntegrations } from '../../api/staff';
import { listTenants } from '../../api/tenants';

export const staffKeys = {
  all: ['staff'] as const,
  integrations: () => [...staffKeys.all, 'integrations'] as const,
  integrationList: (query: IntegrationsQuery) => [...staffKeys.integrations(), query] as const,
  tokenUsage: (days: number, tenantId?: string) => [...staffKeys.all, 'token-usage', { days, tenantId }] as const,
  tenantChoices: () => [...staffKeys.all, 'tenant-choices'] as const,
};

const PAGE_SIZE = 50;

/** The integrations overview, a page at a time; the previous answer stays up while a new filter loads. */
export function useIntegrations(query: IntegrationsQuery) {
  return useInfiniteQuery({
    queryKey: staffKeys.integrationList(query),
    queryFn: ({ pageParam, signal }) => listIntegrations({ ...query, cursor: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useTokenUsage(days: number, tenantId?: string) {
  return useQuery({
    queryKey: staffKeys.tokenUsage(days, tenantId),
    queryFn: ({ signal }) => getTokenUsage({ days, tenantId }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Tenants by id, archived ones too, to name them in the audit log and pick one as a filter. */
export function useTenantChoices() {
  return useQuery({
    queryKey: staffKeys.tenantChoices(),
    queryFn: ({ signal }) => listTenants({ includeArchived: true, limit: 200 }, signal),
    select: (page) => page.items,
    staleTime: 5 * 60 * 1000,
  });
}
