import type {
  CreateTenantRequest,
  InviteMemberRequest,
  Page,
  Tenant,
  UpdateTenantRequest,
} from '@messenger-vault/contracts';
import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createTenant, getTenant, inviteMember, listTenants, updateTenant } from '../../api/tenants';

export const tenantKeys = {
  all: ['tenants'] as const,
  lists: () => [...tenantKeys.all, 'list'] as const,
  list: (filters: { includeArchived: boolean }) => [...tenantKeys.lists(), filters] as const,
  details: () => [...tenantKeys.all, 'detail'] as const,
  detail: (tenantId: string) => [...tenantKeys.details(), tenantId] as const,
};

type TenantPages = InfiniteData<Page<Tenant>, string | null>;

/** The tenants the signed-in user may see, a page at a time (`fetchNextPage` for more). */
export function useTenantList({ includeArchived }: { includeArchived: boolean }) {
  return useInfiniteQuery({
    queryKey: tenantKeys.list({ includeArchived }),
    queryFn: ({ pageParam, signal }) => listTenants({ cursor: pageParam, includeArchived }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

export function useTenant(tenantId: string) {
  const queryClient = useQueryClient();
  return useQuery<Tenant>({
    queryKey: tenantKeys.detail(tenantId),
    queryFn: ({ signal }) => getTenant(tenantId, signal),
    // Coming from the list, the tenant is already known: show it at once, refresh behind.
    placeholderData: () =>
      findInLists(queryClient.getQueriesData<TenantPages>({ queryKey: tenantKeys.lists() }), tenantId),
  });
}

export function useCreateTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTenantRequest) => createTenant(body),
    onSuccess: (tenant) => {
      queryClient.setQueryData(tenantKeys.detail(tenant.id), tenant);
      return queryClient.invalidateQueries({ queryKey: tenantKeys.lists() });
    },
  });
}

/** Renames, archives or unarchives a tenant. */
export function useUpdateTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ tenantId, ...body }: UpdateTenantRequest & { tenantId: string }) => updateTenant(tenantId, body),
    onSuccess: (tenant) => {
      queryClient.setQueryData(tenantKeys.detail(tenant.id), tenant);
      return queryClient.invalidateQueries({ queryKey: tenantKeys.lists() });
    },
  });
}

/** Invites an admin to a tenant. Nothing is cached: the invitation link is shown once. */
export function useInviteMember(tenantId: string) {
  return useMutation({
    mutationFn: (body: InviteMemberRequest) => inviteMember(tenantId, body),
  });
}

function findInLists(lists: [unknown, TenantPages | undefined][], tenantId: string): Tenant | undefined {
  for (const [, data] of lists) {
    for (const page of data?.pages ?? []) {
      const tenant = page.items.find((item) => item.id === tenantId);
      if (tenant) return tenant;
    }
  }
  return undefined;
}
