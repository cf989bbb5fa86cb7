import type { Tenant } from '@messenger-vault/contracts';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../forms/apiErrors';
import { useUpdateTenant } from './hooks';

/**
 * Archiving cuts the tenant's admins off at once, so it asks first; unarchiving restores
 * access and needs no confirmation.
 */
export function ArchiveTenantButton({ tenant, archivedHidden }: { tenant: Tenant; archivedHidden: boolean }) {
  const update = useUpdateTenant();
  const [confirmOpened, confirm] = useDisclosure(false);
  const archived = tenant.archivedAt !== null;
  const action = archived ? 'Unarchive' : 'Archive';

  const submit = () =>
    update.mutate(
      { tenantId: tenant.id, archived: !archived },
      {
        onSuccess: (updated) => {
          confirm.close();
          notifications.show({
            color: 'green',
            message: updated.archivedAt
              ? `${updated.name} is archived.${archivedHidden ? ' Turn on “Show archived tenants” to find it again.' : ''}`
              : `${updated.name} is active again; its admins have access again.`,
          });
        },
        onError: (error) =>
          notifications.show({
            color: 'red',
            title: `Couldn't ${action.toLowerCase()} ${tenant.name}`,
            message: errorMessage(error),
          }),
      },
    );

  return (
    <>
      <Button
        size="xs"
        variant="default"
        loading={update.isPending && !confirmOpened}
        aria-label={`${action} ${tenant.name}`}
        onClick={archived ? submit : confirm.open}
      >
        {action}
      </Button>
      <Modal opened={confirmOpened} onClose={confirm.close} title={`Archive ${tenant.name}?`}>
        <Stack>
          <Text size="sm">Its admins lose access to Messenger Vault for this tenant until you unarchive it.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              Cancel
            </Button>
            <Button color="red" loading={update.isPending} onClick={submit}>
              Archive tenant
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
