import type {
  CreateTenantRequest,
  Invitation,
  InviteMemberRequest,
  Page,
  Tenant,
  UpdateTenantRequest,
} from '@messenger-vault/contracts';
import { apiFetch } from './client';

const tenantPath = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}`;

export interface ListTenantsOptions {
  cursor?: string | null;
  /** Staff only: archived tenants are left out unless asked for. */
  includeArchived?: boolean;
}

/** Newest first. Staff see every tenant; a tenant admin sees only their own live ones. */
export function listTenants(
  { cursor, includeArchived }: ListTenantsOptions,
  signal?: AbortSignal,
): Promise<Page<Tenant>> {
  return apiFetch('/api/tenants', {
    query: { cursor, includeArchived: includeArchived ? 'true' : undefined },
    signal,
  });
}

/** 404 both for a tenant that doesn't exist and for one the user may not see. */
export function getTenant(tenantId: string, signal?: AbortSignal): Promise<Tenant> {
  return apiFetch(tenantPath(tenantId), { signal });
}

export function createTenant(body: CreateTenantRequest): Promise<Tenant> {
  return apiFetch('/api/tenants', { method: 'POST', body });
}

export function updateTenant(tenantId: string, body: UpdateTenantRequest): Promise<Tenant> {
  return apiFetch(tenantPath(tenantId), { method: 'PATCH', body });
}

/** Invites an admin; the answer holds the only copy of the invitation link. */
export function inviteMember(tenantId: string, body: InviteMemberRequest): Promise<Invitation> {
  return apiFetch(`${tenantPath(tenantId)}/members`, { method: 'POST', body });
}
