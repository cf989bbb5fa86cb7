import type { Tenant } from '@messenger-vault/contracts';
import type { ReactNode } from 'react';
import { Anchor, Button, Group, Stack, Switch, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { tenantPagePath } from '../../app/paths';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { ScrollTable } from '../../components/ScrollTable';
import { useSignedInUser } from '../auth/hooks';
import { ArchiveTenantButton } from './ArchiveTenantButton';
import { CreateTenantModal } from './CreateTenantModal';
import { TenantStatusBadge } from './TenantStatusBadge';
import { useTenantList } from './hooks';

export function TenantListPage() {
  useDocumentTitle('Tenants · Messenger Vault');
  const user = useSignedInUser();
  const navigate = useNavigate();
  const [createOpened, createModal] = useDisclosure(false);
  // Kept in the address, so "back" and a shared link show the same list.
  const [searchParams, setSearchParams] = useSearchParams();
  const includeArchived = user.isStaff && searchParams.get('archived') === 'shown';
  const tenants = useTenantList({ includeArchived });
  const hasTenants = (tenants.data?.pages[0]?.items.length ?? 0) > 0;

  const createButton = user.isStaff && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={createModal.open}>
      Create tenant
    </Button>
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} id="tenants-heading">
          Tenants
        </Title>
        {hasTenants && createButton}
      </Group>

      {user.isStaff && (
        <Switch
          label="Show archived tenants"
          checked={includeArchived}
          onChange={(event) =>
            setSearchParams(event.currentTarget.checked ? { archived: 'shown' } : {}, {
              replace: true,
            })
          }
        />
      )}

      <TenantListContent
        tenants={tenants}
        canManage={user.isStaff}
        archivedHidden={!includeArchived}
        emptyMessage={
          user.isStaff
            ? 'Create a tenant for each white-label app, then invite its admin.'
            : "You haven't been added to a tenant. Ask SalesMind staff for an invitation."
        }
        createButton={createButton}
      />

      {user.isStaff && (
        <CreateTenantModal
          opened={createOpened}
          onClose={createModal.close}
          onCreated={(tenant) => {
            notifications.show({ color: 'green', message: `Created ${tenant.name}.` });
            navigate(tenantPagePath(tenant.id));
          }}
        />
      )}
    </Stack>
  );
}

function TenantListContent({
  tenants,
  canManage,
  archivedHidden,
  emptyMessage,
  createButton,
}: {
  tenants: ReturnType<typeof useTenantList>;
  canManage: boolean;
  archivedHidden: boolean;
  emptyMessage: string;
  createButton: ReactNode;
}) {
  if (tenants.isPending) return <LoadingState label="Loading tenants…" />;
  if (tenants.isError) {
    return <ErrorState title="Couldn't load tenants" error={tenants.error} onRetry={() => tenants.refetch()} />;
  }
  const items = tenants.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <Stack align="center" py="xl" gap="sm">
        <Title order={2} size="h3">
          No tenants yet
        </Title>
        <Text c="dimmed" ta="center" maw={420}>
          {emptyMessage}
        </Text>
        {createButton}
      </Stack>
    );
  }
  return (
    <>
      <TenantTable tenants={items} canManage={canManage} archivedHidden={archivedHidden} />
      {tenants.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={tenants.isFetchingNextPage} onClick={() => tenants.fetchNextPage()}>
            Load more tenants
          </Button>
        </Group>
      )}
    </>
  );
}

function TenantTable({
  tenants,
  canManage,
  archivedHidden,
}: {
  tenants: Tenant[];
  canManage: boolean;
  archivedHidden: boolean;
}) {
  return (
    <ScrollTable minWidth={560} label="Tenants">
      <Table aria-labelledby="tenants-heading" highlightOnHover verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            {canManage && (
              <Table.Th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tenants.map((tenant) => (
            <Table.Tr key={tenant.id}>
              <Table.Td>
                <Anchor component={Link} to={tenantPagePath(tenant.id)} fw={500}>
                  {tenant.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <TenantStatusBadge tenant={tenant} />
              </Table.Td>
              <Table.Td>
                <DateTime value={tenant.createdAt} withTime={false} />
              </Table.Td>
              {canManage && (
                <Table.Td ta="right">
                  <ArchiveTenantButton tenant={tenant} archivedHidden={archivedHidden} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
