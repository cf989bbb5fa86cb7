/** Addresses of the app's pages, built in one place so links and redirects agree. */

export const TENANTS_PATH = '/tenants';

/** Staff only: every tenant's integration at a glance, and the audit trail across tenants. */
export const STAFF_INTEGRATIONS_PATH = '/staff/integrations';
export const STAFF_AUDIT_PATH = '/staff/audit';

/** The signed-in account's two-factor sign-in. */
export const ACCOUNT_SECURITY_PATH = '/account/security';

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
