import type {
  CreateTenantRequest,
  Invitation,
  InviteMemberRequest,
  MfaPolicyRequest,
  Page,
  Tenant,
  TenantMember,
  UpdateTenantRequest,
} from '@messenger-vault/contracts';
import { call } from './client';

export interface ListTenantsOptions {
  cursor?: string | null;
  /** Staff only: archived tenants are left out unless asked for. */
  includeArchived?: boolean;
  /** Rows per page, at most 200. */
  limit?: number;
}

/** Newest first. Staff see every tenant; a tenant admin sees only their own live ones. */
export function listTenants(
  { cursor, includeArchived, limit }: ListTenantsOptions,
  signal?: AbortSignal,
): Promise<Page<Tenant>> {
  return call('get', '/api/tenants', {
    query: { cursor: cursor ?? undefined, includeArchived: includeArchived || undefined, limit },
    signal,
  });
}

/** 404 both for a tenant that doesn't exist and for one the user may not see. */
export function getTenant(tenantId: string, signal?: AbortSignal): Promise<Tenant> {
  return call('get', '/api/tenants/{tenantId}', { path: { tenantId }, signal });
}

export function createTenant(body: CreateTenantRequest): Promise<Tenant> {
  return call('post', '/api/tenants', { body });
}

export function updateTenant(tenantId: string, body: UpdateTenantRequest): Promise<Tenant> {
  return call('patch', '/api/tenants/{tenantId}', { path: { tenantId }, body });
}

/** Invites an admin; the answer holds the only copy of the invitation link. */
export function inviteMember(tenantId: string, body: InviteMemberRequest): Promise<Invitation> {
  return call('post', '/api/tenants/{tenantId}/members', { path: { tenantId }, body });
}

/** The tenant's admins, with whether each uses two-factor sign-in. */
export async function listMembers(tenantId: string, signal?: AbortSignal): Promise<TenantMember[]> {
  const page = await call('get', '/api/tenants/{tenantId}/members', { path: { tenantId }, signal });
  return page.items;
}

/** Requires (or stops requiring) two-factor sign-in of the tenant's admins; 409 unless the caller uses it. */
export function setMfaPolicy(tenantId: string, body: MfaPolicyRequest): Promise<Tenant> {
  return call('put', '/api/tenants/{tenantId}/mfa-policy', { path: { tenantId }, body });
}
