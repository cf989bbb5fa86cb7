import type { QueryClient } from '@tanstack/react-query';
import { getIntercomSetup } from '../api/intercom';
import { getTenant } from '../api/tenants';
import { currentUserQuery } from '../features/auth/hooks';
import { intercomKeys } from '../features/intercom/hooks';
import { tenantKeys } from '../features/tenants/hooks';

/**
 * Asks for the data a tenant page shows while its code is still downloading (router.tsx's
 * preloadRoute), with the same keys and calls as the hooks that show it, so they find it in the
 * cache: without this the tenant waited for the session check and the shell, and the setup for
 * the tenant layout (decision 0055). A signed-out visitor gets the same 401 the page would get.
 */
export function prefetchPageData(queryClient: QueryClient, pathname: string): void {
  if (pathname === '/login' || pathname === '/invite') return;
  // First: every signed-in page waits for it (RequireAuth), and it was asked for only once the
  // first render had run, after the requests below (decision 0060).
  void queryClient.prefetchQuery(currentUserQuery);
  const tenant = /^\/tenants\/([^/]+)(\/[^/]+)?/.exec(pathname);
  if (!tenant) return;
  const tenantId = decodeURIComponent(tenant[1]!);
  void queryClient.prefetchQuery({
    queryKey: tenantKeys.detail(tenantId),
    queryFn: ({ signal }) => getTenant(tenantId, signal),
  });
  if (tenant[2] === '/setup')
    void queryClient.prefetchQuery({
      queryKey: intercomKeys.setup(tenantId),
      queryFn: ({ signal }) => getIntercomSetup(tenantId, signal),
    });
}
