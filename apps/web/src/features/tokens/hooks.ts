import type { IdentityProvider, Platform } from '@messenger-vault/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createApiKey, listApiKeys, revokeApiKey } from '../../api/apiKeys';
import { debugToken, getIdentityProvider, issueTestToken, putIdentityProvider } from '../../api/intercom';
import { intercomKeys } from '../intercom/hooks';

export const apiKeyKeys = {
  all: ['api-keys'] as const,
  list: (tenantId: string) => [...apiKeyKeys.all, tenantId] as const,
};

export const identityProviderKeys = {
  detail: (tenantId: string) => [...intercomKeys.tenant(tenantId), 'identity-provider'] as const,
};

export function useApiKeys(tenantId: string) {
  return useQuery({
    queryKey: apiKeyKeys.list(tenantId),
    queryFn: ({ signal }) => listApiKeys(tenantId, signal),
  });
}

/** The answer holds the only copy of the key; it is never cached. */
export function useCreateApiKey(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => createApiKey(tenantId, name),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.list(tenantId) }),
  });
}

export function useRevokeApiKey(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => revokeApiKey(tenantId, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.list(tenantId) }),
  });
}

/** `null` while the tenant has no identity provider configured. */
export function useIdentityProvider(tenantId: string) {
  return useQuery({
    queryKey: identityProviderKeys.detail(tenantId),
    queryFn: ({ signal }) => getIdentityProvider(tenantId, signal),
  });
}

export function usePutIdentityProvider(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Omit<IdentityProvider, 'updatedAt'>) => putIdentityProvider(tenantId, body),
    onSuccess: (saved) => queryClient.setQueryData(identityProviderKeys.detail(tenantId), saved),
  });
}

/** Issuing a test token completes step 5 at once (the API marks it), so the setup is refetched. */
export function useIssueTestToken(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { user_id: string; platform: Platform }) => issueTestToken(tenantId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: intercomKeys.setup(tenantId) }),
  });
}

export function useDebugToken(tenantId: string) {
  return useMutation({ mutationFn: (token: string) => debugToken(tenantId, token) });
}
