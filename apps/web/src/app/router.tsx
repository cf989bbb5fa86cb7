import { lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet } from 'react-router';
import { LoadingState } from '../components/PageStates';
import { HomeRedirect } from '../features/auth/HomeRedirect';
import { RequireAuth } from '../features/auth/RequireAuth';
import { RouteErrorPage } from '../features/shell/RouteErrorPage';
import { preloadable } from './preloadable';
import { ACCOUNT_SECURITY_PATH, STAFF_AUDIT_PATH, STAFF_INTEGRATIONS_PATH } from './paths';

// Each page is its own chunk, so the first page downloads only what it shows. The signed-in
// shell (navigation, notification bell, menus) is one too: the sign-in page never needs it.
// Pages outside the setup wizard's path also load all of Mantine's styles (withAllStyles): the
// shell and the wizard's first step bring only those they use (decision 0060).
const shell = preloadable(() => import('../features/shell/AppShell'), 'AppShell');
const tenantLayout = preloadable(() => import('../features/tenants/TenantLayout'), 'TenantLayout');
const AppShell = shell.Component;
const StaffOnly = lazy(() => import('../features/staff/StaffOnly').then((module) => ({ default: module.StaffOnly })));
const LoginPage = lazy(() => import('../features/auth/LoginPage').then((module) => ({ default: module.LoginPage })));
const AcceptInvitationPage = lazy(() =>
  import('../features/auth/AcceptInvitationPage').then((module) => ({
    default: module.AcceptInvitationPage,
  })),
);
const TenantListPage = lazy(() =>
  withAllStyles(import('../features/tenants/TenantListPage')).then((module) => ({ default: module.TenantListPage })),
);
const TenantLayout = tenantLayout.Component;
const TenantOverviewPage = lazy(() =>
  withAllStyles(import('../features/tenants/TenantOverviewPage')).then((module) => ({
    default: module.TenantOverviewPage,
  })),
);
const SetupRedirect = lazy(() =>
  import('../features/intercom/SetupRedirect').then((module) => ({ default: module.SetupRedirect })),
);
const SetupWizardPage = lazy(() =>
  import('../features/intercom/SetupWizardPage').then((module) => ({ default: module.SetupWizardPage })),
);
const IntegrationPage = lazy(() =>
  withAllStyles(import('../features/intercom/IntegrationPage')).then((module) => ({ default: module.IntegrationPage })),
);
const ApiKeysPage = lazy(() =>
  withAllStyles(import('../features/tokens/ApiKeysPage')).then((module) => ({ default: module.ApiKeysPage })),
);
const IntercomOAuthCallbackPage = lazy(() =>
  withAllStyles(import('../features/intercom/IntercomOAuthCallbackPage')).then((module) => ({
    default: module.IntercomOAuthCallbackPage,
  })),
);
const IdentityProviderPage = lazy(() =>
  withAllStyles(import('../features/intercom/IdentityProviderPage')).then((module) => ({
    default: module.IdentityProviderPage,
  })),
);
const TenantAuditPage = lazy(() =>
  withAllStyles(import('../features/audit/TenantAuditPage')).then((module) => ({ default: module.TenantAuditPage })),
);
const NotificationsPage = lazy(() =>
  withAllStyles(import('../features/rotation/NotificationsPage')).then((module) => ({
    default: module.NotificationsPage,
  })),
);
const WebhookPage = lazy(() =>
  withAllStyles(import('../features/rotation/WebhookPage')).then((module) => ({ default: module.WebhookPage })),
);
const IntegrationsOverviewPage = lazy(() =>
  withAllStyles(import('../features/staff/IntegrationsOverviewPage')).then((module) => ({
    default: module.IntegrationsOverviewPage,
  })),
);
const StaffAuditPage = lazy(() =>
  withAllStyles(import('../features/audit/StaffAuditPage')).then((module) => ({ default: module.StaffAuditPage })),
);
const SecurityPage = lazy(() =>
  withAllStyles(import('../features/account/SecurityPage')).then((module) => ({ default: module.SecurityPage })),
);
const NotFoundPage = lazy(() =>
  import('../features/shell/NotFoundPage').then((module) => ({ default: module.NotFoundPage })),
);

/**
 * Starts downloading, with `/api/auth/me`, the code a signed-in address renders first: the shell
 * (and its stylesheet) and, under a tenant, the tenant's frame, where a staff member's first large
 * text (the read-only banner) is. Without this each waited for the one above it to render
 * (decision 0060). Only these two: preloading the page and step chunks as well made the wizard
 * page slower (decision 0055), they then share the slow link with what the first paint needs.
 */
/** A page's module, resolved once all of Mantine's styles have arrived too (app/allStyles.ts). */
function withAllStyles<M>(page: Promise<M>): Promise<M> {
  return Promise.all([page, import('./allStyles')]).then(([module]) => module);
}

export function preloadRouteCode(pathname: string): void {
  if (pathname === '/login' || pathname === '/invite') return;
  // A failed download shows when the route renders (RouteErrorPage), as without the preload.
  void shell.preload().catch(() => undefined);
  if (/^\/tenants\/[^/]+/.test(pathname)) void tenantLayout.preload().catch(() => undefined);
}

export const router = createBrowserRouter([
  {
    errorElement: <RouteErrorPage />,
    element: (
      <Suspense fallback={<LoadingState label="Loading…" fullScreen />}>
        <Outlet />
      </Suspense>
    ),
    children: [
      { path: '/login', element: <LoginPage /> },
      { path: '/invite', element: <AcceptInvitationPage /> },
      {
        element: (
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: '/tenants', element: <TenantListPage /> },
          { path: ACCOUNT_SECURITY_PATH, element: <SecurityPage /> },
          // The redirect URL registered in the Intercom app (INTERCOM_OAUTH_CALLBACK_PATH in the API's config).
          { path: '/intercom/oauth/callback', element: <IntercomOAuthCallbackPage /> },
          {
            path: '/tenants/:tenantId',
            element: <TenantLayout />,
            children: [
              { index: true, element: <TenantOverviewPage /> },
              { path: 'setup', element: <SetupRedirect /> },
              // One address per step (features/intercom/setupSteps.ts), plus `test`.
              { path: 'setup/:step', element: <SetupWizardPage /> },
              { path: 'integration', element: <IntegrationPage /> },
              { path: 'api-keys', element: <ApiKeysPage /> },
              { path: 'identity-provider', element: <IdentityProviderPage /> },
              { path: 'notifications', element: <NotificationsPage /> },
              { path: 'webhook', element: <WebhookPage /> },
              { path: 'audit', element: <TenantAuditPage /> },
            ],
          },
          {
            element: <StaffOnly />,
            children: [
              { path: STAFF_INTEGRATIONS_PATH, element: <IntegrationsOverviewPage /> },
              { path: STAFF_AUDIT_PATH, element: <StaffAuditPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
