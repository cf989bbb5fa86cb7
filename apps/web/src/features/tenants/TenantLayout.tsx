import { Suspense, useState } from 'react';
import { Anchor, Group, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, NavLink, Outlet, useParams } from 'react-router';
import { isApiRequestError } from '../../api/client';
import { ACCOUNT_SECURITY_PATH, TENANTS_PATH, setupPath, tenantPagePath, tenantSectionPath } from '../../app/paths';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { useSignedInUser } from '../auth/hooks';
import { TenantReadOnlyProvider } from './editLock';
import { StaffViewBanner } from './StaffViewBanner';
import classes from './TenantLayout.module.css';
import { TenantStatusBadge } from './TenantStatusBadge';
import { useTenant } from './hooks';

/**
 * `/tenants/:tenantId/*`: the frame of a tenant's pages — its name, the tenant's own navigation
 * (overview, setup, integration, API keys, identity provider, audit log) and the page below.
 */
export function TenantLayout() {
  const { tenantId = '' } = useParams();
  const tenant = useTenant(tenantId);
  const user = useSignedInUser();
  // Staff edit one tenant at a time, on purpose: opening another tenant starts read-only again.
  const [editingTenantId, setEditingTenantId] = useState<string | null>(null);
  const readOnly = user.isStaff && editingTenantId !== tenantId;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={TENANTS_PATH} size="sm" w="fit-content">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          All tenants
        </Group>
      </Anchor>
      <TenantHeader tenant={tenant} />
      {tenant.isSuccess && (
        <TenantReadOnlyProvider readOnly={readOnly}>
          {user.isStaff && (
            <StaffViewBanner editing={!readOnly} onEditingChange={(on) => setEditingTenantId(on ? tenantId : null)} />
          )}
          <TenantNav tenantId={tenantId} />
          <Suspense fallback={<LoadingState label="Loading…" />}>
            <Outlet />
          </Suspense>
        </TenantReadOnlyProvider>
      )}
    </Stack>
  );
}

function TenantHeader({ tenant }: { tenant: ReturnType<typeof useTenant> }) {
  if (tenant.isPending) {
    return (
      <>
        <Title order={1}>Tenant</Title>
        <LoadingState label="Loading tenant…" />
      </>
    );
  }
  if (tenant.isError) {
    if (isApiRequestError(tenant.error, 403) && tenant.error.code === 'tenant_requires_mfa') {
      return (
        <>
          <Title order={1}>Two-factor sign-in required</Title>
          <Text>
            This tenant requires its admins to use two-factor sign-in, and your account doesn’t yet.{' '}
            <Anchor component={Link} to={ACCOUNT_SECURITY_PATH}>
              Turn it on under Account security
            </Anchor>
            , then come back to this page.
          </Text>
        </>
      );
    }
    const notFound = isApiRequestError(tenant.error, 404);
    return (
      <>
        <Title order={1}>{notFound ? 'Tenant not found' : 'Tenant'}</Title>
        {notFound ? (
          <Text>
            This tenant doesn’t exist, or you don’t have access to it. Check the address, or pick a tenant from the
            list.
          </Text>
        ) : (
          <ErrorState title="Couldn't load this tenant" error={tenant.error} onRetry={() => tenant.refetch()} />
        )}
      </>
    );
  }
  return (
    <Stack gap={4}>
      <Group gap="sm">
        <Title order={1}>{tenant.data.name}</Title>
        <TenantStatusBadge tenant={tenant.data} />
      </Group>
      <Text size="sm" c="dimmed">
        Created <DateTime value={tenant.data.createdAt} withTime={false} />
      </Text>
    </Stack>
  );
}

function TenantNav({ tenantId }: { tenantId: string }) {
  const links = [
    { to: tenantPagePath(tenantId), label: 'Overview', end: true },
    { to: setupPath(tenantId), label: 'Setup', end: false },
    { to: tenantSectionPath(tenantId, 'integration'), label: 'Integration', end: false },
    { to: tenantSectionPath(tenantId, 'api-keys'), label: 'API keys', end: false },
    { to: tenantSectionPath(tenantId, 'identity-provider'), label: 'Identity provider', end: false },
    { to: tenantSectionPath(tenantId, 'notifications'), label: 'Notifications', end: false },
    { to: tenantSectionPath(tenantId, 'webhook'), label: 'Webhook', end: false },
    { to: tenantSectionPath(tenantId, 'audit'), label: 'Audit log', end: false },
  ];
  return (
    // A plain scrolling box, not Mantine's ScrollArea: that measured the page in a long task of
    // its own on every tenant page's first render, for scrollbars this row never shows (decision 0060).
    <div className={classes.navScroll}>
      <Group component="nav" aria-label="Tenant" gap={4} wrap="nowrap" className={classes.nav}>
        {links.map((link) => (
          <UnstyledButton key={link.to} component={NavLink} to={link.to} end={link.end} className={classes.link}>
            {link.label}
          </UnstyledButton>
        ))}
      </Group>
    </div>
  );
}
