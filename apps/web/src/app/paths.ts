/** Addresses of the app's pages, built in one place so links and redirects agree. */

export const TENANTS_PATH = '/tenants';

export function tenantPagePath(tenantId: string): string {
  return `${TENANTS_PATH}/${encodeURIComponent(tenantId)}`;
}

/** `/tenants/:tenantId/setup` (the next step to do) or one step, by its slug. */
export function setupPath(tenantId: string, slug?: string): string {
  return `${tenantPagePath(tenantId)}/setup${slug ? `/${slug}` : ''}`;
}

export type TenantSection = 'integration' | 'api-keys' | 'identity-provider' | 'notifications' | 'webhook' | 'audit';

export function tenantSectionPath(tenantId: string, section: TenantSection): string {
  return `${tenantPagePath(tenantId)}/${section}`;
}
