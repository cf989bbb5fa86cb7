import { Anchor, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { isApiRequestError } from '../../api/client';
import { TENANTS_PATH } from '../../app/paths';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { ConnectIntercomCard } from '../intercom/ConnectIntercomCard';
import { InviteAdminCard } from './InviteAdminCard';
import { TenantStatusBadge } from './TenantStatusBadge';
import { useTenant } from './hooks';

/** `/tenants/:tenantId`: a tenant's own page, where its admin starts connecting Intercom. */
export function TenantPage() {
  const { tenantId = '' } = useParams();
  const tenant = useTenant(tenantId);
  useDocumentTitle(`${tenant.data?.name ?? 'Tenant'} · Messenger Vault`);

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={TENANTS_PATH} size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          All tenants
        </Group>
      </Anchor>
      <TenantPageContent tenant={tenant} />
    </Stack>
  );
}

function TenantPageContent({ tenant }: { tenant: ReturnType<typeof useTenant> }) {
  if (tenant.isPending) {
    return (
      <>
        <Title order={1}>Tenant</Title>
        <LoadingState label="Loading tenant…" />
      </>
    );
  }
  if (tenant.isError) {
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

  const { data } = tenant;
  return (
    <>
      <Stack gap={4}>
        <Group gap="sm">
          <Title order={1}>{data.name}</Title>
          <TenantStatusBadge tenant={data} />
        </Group>
        <Text size="sm" c="dimmed">
          Created <DateTime value={data.createdAt} withTime={false} />
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ConnectIntercomCard />
        <InviteAdminCard tenantId={data.id} />
      </SimpleGrid>
    </>
  );
}
