import type {
  CreateTenantRequest,
  Invitation,
  InviteMemberRequest,
  Page,
  Tenant,
  UpdateTenantRequest,
} from '@messenger-vault/contracts';
import { ApiRequestError, apiFetch } from './client';

const tenantPath = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}`;

/** Staff see every tenant; a tenant admin sees only their own. */
export function listTenants(cursor: string | null, signal?: AbortSignal): Promise<Page<Tenant>> {
  return apiFetch('/api/tenants', { query: { cursor }, signal });
}

/**
 * One tenant, looked up in the list: the API has no `GET /api/tenants/:tenantId` yet. When it
 * gains one, this becomes a single call and nothing above it changes.
 */
export async function getTenant(tenantId: string, signal?: AbortSignal): Promise<Tenant> {
  let cursor: string | null = null;
  do {
    const page: Page<Tenant> = await listTenants(cursor, signal);
    const tenant = page.items.find((item) => item.id === tenantId);
    if (tenant) return tenant;
    cursor = page.nextCursor;
  } while (cursor);
  throw new ApiRequestError({
    status: 404,
    code: 'tenant_not_found',
    messages: ["This tenant doesn't exist, or you don't have access to it."],
  });
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
