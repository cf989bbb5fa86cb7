import { lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet } from 'react-router';
import { LoadingState } from '../components/PageStates';
import { HomeRedirect } from '../features/auth/HomeRedirect';
import { RequireAuth } from '../features/auth/RequireAuth';
import { AppShell } from '../features/shell/AppShell';
import { RouteErrorPage } from '../features/shell/RouteErrorPage';

// Each page is its own chunk, so the first page downloads only what it shows.
const LoginPage = lazy(() => import('../features/auth/LoginPage').then((module) => ({ default: module.LoginPage })));
const AcceptInvitationPage = lazy(() =>
  import('../features/auth/AcceptInvitationPage').then((module) => ({
    default: module.AcceptInvitationPage,
  })),
);
const TenantListPage = lazy(() =>
  import('../features/tenants/TenantListPage').then((module) => ({
    default: module.TenantListPage,
  })),
);
const TenantPage = lazy(() =>
  import('../features/tenants/TenantPage').then((module) => ({ default: module.TenantPage })),
);
const NotFoundPage = lazy(() =>
  import('../features/shell/NotFoundPage').then((module) => ({ default: module.NotFoundPage })),
);

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
          { path: '/tenants/:tenantId', element: <TenantPage /> },
          // The setup wizard (a later issue) mounts here, one screen per step of
          // features/intercom/setupSteps.ts: { path: '/tenants/:tenantId/setup/:step', … }.
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
