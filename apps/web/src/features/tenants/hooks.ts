import type {
  CreateTenantRequest,
  InviteMemberRequest,
  Page,
  Tenant,
  UpdateTenantRequest,
} from '@messenger-vault/contracts';
import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { resetUserMfa } from '../../api/staff';
import {
  createTenant,
  getTenant,
  inviteMember,
  listMembers,
  listTenants,
  setMfaPolicy,
  updateTenant,
} from '../../api/tenants';

export const tenantKeys = {
  all: ['tenants'] as const,
  lists: () => [...tenantKeys.all, 'list'] as const,
  list: (filters: { includeArchived: boolean }) => [...tenantKeys.lists(), filters] as const,
  details: () => [...tenantKeys.all, 'detail'] as const,
  detail: (tenantId: string) => [...tenantKeys.details(), tenantId] as const,
  members: (tenantId: string) => [...tenantKeys.detail(tenantId), 'members'] as const,
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

/** The tenant's admins and whether each uses two-factor sign-in. */
export function useTenantMembers(tenantId: string) {
  return useQuery({
    queryKey: tenantKeys.members(tenantId),
    queryFn: ({ signal }) => listMembers(tenantId, signal),
  });
}

export function useSetMfaPolicy(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (requireMfa: boolean) => setMfaPolicy(tenantId, { requireMfa }),
    onSuccess: (tenant) => {
      queryClient.setQueryData(tenantKeys.detail(tenant.id), tenant);
      return queryClient.invalidateQueries({ queryKey: tenantKeys.lists() });
    },
  });
}

/** Staff: resets a member's two-factor sign-in (lost device). */
export function useResetMemberMfa(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => resetUserMfa(userId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tenantKeys.members(tenantId) }),
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
