/** Addresses of the app's pages, built in one place so links and redirects agree. */

export const TENANTS_PATH = '/tenants';

export function tenantPagePath(tenantId: string): string {
  return `${TENANTS_PATH}/${encodeURIComponent(tenantId)}`;
}
