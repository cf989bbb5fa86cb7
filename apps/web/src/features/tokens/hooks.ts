import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createApiKey, listApiKeys, revokeApiKey } from '../../api/apiKeys';

export const apiKeyKeys = {
  all: ['api-keys'] as const,
  list: (tenantId: string) => [...apiKeyKeys.all, tenantId] as const,
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
