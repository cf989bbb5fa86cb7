import type { SecretState, SecretVersion } from '@messenger-vault/contracts';
import { Alert, Badge, Button, Code, Group, Modal, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { ScrollTable } from '../../components/ScrollTable';
import { errorMessage } from '../../forms/apiErrors';
import { useRetireSecret } from '../intercom/hooks';
import { PLATFORM_NAMES } from '../intercom/platforms';
import { useTenantReadOnly } from '../tenants/editLock';

const STATE_BADGES: Record<SecretState, { label: string; color: string }> = {
  active: { label: 'Active', color: 'green' },
  previous: { label: 'Replaced', color: 'yellow' },
  retired: { label: 'Retired', color: 'gray' },
};

/** Every saved version of the secret key, newest first: metadata only, with retire for replaced ones. */
export function SecretVersionsTable({ tenantId, versions }: { tenantId: string; versions: readonly SecretVersion[] }) {
  const [retiring, setRetiring] = useState<SecretVersion | null>(null);
  const readOnly = useTenantReadOnly();
  const [opened, modal] = useDisclosure(false);

  return (
    <Stack gap="xs" component="section" aria-labelledby="secret-versions-heading">
      <Title order={3} size="h4" id="secret-versions-heading">
        Key versions
      </Title>
      {versions.length === 0 ? (
        <Text size="sm" c="dimmed">
          No key saved yet. Once you save one, its versions show here: several can be live while you rotate.
        </Text>
      ) : (
        <ScrollTable minWidth={760} label="Key versions">
          <Table verticalSpacing="xs" aria-labelledby="secret-versions-heading">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Version</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col">Signs for</Table.Th>
                <Table.Th scope="col">Fingerprint</Table.Th>
                <Table.Th scope="col">Saved</Table.Th>
                <Table.Th scope="col">Rotate by</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {versions.map((version) => (
                <Table.Tr key={version.version}>
                  <Table.Td>v{version.version}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge variant="light" autoContrast color={STATE_BADGES[version.state].color}>
                      {STATE_BADGES[version.state].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {version.signingPlatforms.length > 0
                      ? version.signingPlatforms.map((platform) => PLATFORM_NAMES[platform]).join(', ')
                      : '—'}
                  </Table.Td>
                  <Table.Td>
                    <Code>{version.fingerprint}</Code> …{version.last4}
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={version.createdAt} withTime={false} />
                    {version.createdBy && (
                      <Text size="xs" c="dimmed">
                        by {version.createdBy}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {version.rotationDueAt ? <DateTime value={version.rotationDueAt} withTime={false} /> : '—'}
                  </Table.Td>
                  <Table.Td ta="right">
                    {version.state === 'previous' && (
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Retire version ${version.version}`}
                        disabled={readOnly}
                        onClick={() => {
                          setRetiring(version);
                          modal.open();
                        }}
                      >
                        Retire
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <RetireModal tenantId={tenantId} version={retiring} opened={opened} onClose={modal.close} />
    </Stack>
  );
}

function RetireModal({
  tenantId,
  version,
  opened,
  onClose,
}: {
  tenantId: string;
  version: SecretVersion | null;
  opened: boolean;
  onClose: () => void;
}) {
  const retire = useRetireSecret(tenantId);
  const close = () => {
    retire.reset();
    onClose();
  };
  const confirm = () => {
    if (!version) return;
    retire.mutate(version.version, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: `Version ${version.version} is retired.` });
        close();
      },
    });
  };
  return (
    <Modal opened={opened} onClose={close} title={`Retire version ${version?.version ?? ''}?`}>
      <Stack>
        <Text size="sm">
          It will never sign a token again. Then delete the same key in Intercom, so tokens already signed with it stop
          working there too.
        </Text>
        {retire.error && (
          <Alert color="red" title="Couldn't retire it">
            {errorMessage(retire.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" loading={retire.isPending} onClick={confirm}>
            Retire version
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
