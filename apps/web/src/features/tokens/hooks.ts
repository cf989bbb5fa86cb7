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

/**
 * The API records token use in memory and writes it every 5 seconds, so a test token completes
 * step 5 a few seconds after it is issued; the setup is refetched now and once more after that.
 */
const USAGE_FLUSH_MS = 6_000;

/** Issuing a test token can complete step 5, so the setup is refetched afterwards. */
export function useIssueTestToken(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { user_id: string; platform: Platform }) => issueTestToken(tenantId, body),
    onSuccess: () => {
      const refetchSetup = () => queryClient.invalidateQueries({ queryKey: intercomKeys.setup(tenantId) });
      window.setTimeout(refetchSetup, USAGE_FLUSH_MS);
      return refetchSetup();
    },
  });
}

export function useDebugToken(tenantId: string) {
  return useMutation({ mutationFn: (token: string) => debugToken(tenantId, token) });
}
