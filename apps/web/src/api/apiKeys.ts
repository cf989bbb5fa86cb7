import type { ApiKey, CreatedApiKey } from '@messenger-vault/contracts';
import { call } from './client';

/** Every key of the tenant, revoked ones included; never the keys themselves. */
export function listApiKeys(tenantId: string, signal?: AbortSignal): Promise<{ items: ApiKey[] }> {
  return call('get', '/api/tenants/{tenantId}/api-keys', { path: { tenantId }, signal });
}

/** The answer holds the only copy of the full key. */
export function createApiKey(tenantId: string, name: string): Promise<CreatedApiKey> {
  return call('post', '/api/tenants/{tenantId}/api-keys', { path: { tenantId }, body: { name } });
}

export function revokeApiKey(tenantId: string, id: string): Promise<ApiKey> {
  return call('delete', '/api/tenants/{tenantId}/api-keys/{id}', { path: { tenantId, id } });
}
