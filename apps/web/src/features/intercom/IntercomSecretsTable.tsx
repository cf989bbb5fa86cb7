import type { SecretVersion } from '@messenger-vault/contracts';
import { Alert, Badge, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconLink, IconLinkOff } from '@tabler/icons-react';
import { useState } from 'react';
import type { IntercomSecret } from '../../api/intercomConnection';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { ScrollTable } from '../../components/ScrollTable';
import { errorMessage } from '../../forms/apiErrors';
import { useTenantReadOnly } from '../tenants/editLock';
import { useIntercomConnection, useLinkIntercomSecret, useUnlinkIntercomSecret } from './hooks';
import { PLATFORM_NAMES } from './platforms';

/**
 * The workspace's identity verification secrets as Intercom lists them now, and which stored
 * version each one is. Intercom never shows a secret's value again, so a version pasted by hand
 * is linked here; a rotation deletes in Intercom only the secret linked to the version it replaces.
 */
export function IntercomSecretsTable({ tenantId, versions }: { tenantId: string; versions: readonly SecretVersion[] }) {
  const connection = useIntercomConnection(tenantId);
  return (
    <Stack gap="xs" component="section" aria-labelledby="intercom-secrets-heading">
      <Title order={3} size="h4" id="intercom-secrets-heading">
        Secrets in Intercom
      </Title>
      {connection.isPending && <LoadingState label="Asking Intercom for the workspace's secrets…" />}
      {connection.isError && (
        <ErrorState
          title="Couldn't load the Intercom secrets"
          error={connection.error}
          onRetry={() => connection.refetch()}
        />
      )}
      {connection.isSuccess && !connection.data.connected && (
        <Text size="sm" c="dimmed">
          Connect the Intercom workspace in step 1 to see its secrets here and link each one to the version you saved.
        </Text>
      )}
      {connection.isSuccess && connection.data.connected && connection.data.intercomSecretsError && (
        <Alert
          color="orange"
          icon={<IconAlertTriangle aria-hidden />}
          title="Intercom didn't list the workspace's secrets"
          data-testid="intercom-secrets-error"
        >
          <Stack gap="xs">
            <Text size="sm">{connection.data.intercomSecretsError.message}</Text>
            <Group>
              <Button size="xs" variant="default" onClick={() => connection.refetch()} loading={connection.isFetching}>
                Ask Intercom again
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {connection.isSuccess &&
        connection.data.connected &&
        !connection.data.intercomSecretsError &&
        (connection.data.intercomSecrets?.length ?? 0) === 0 && (
          <Text size="sm" c="dimmed">
            Intercom lists no identity verification secrets for this workspace yet.
          </Text>
        )}
      {connection.isSuccess && (connection.data.intercomSecrets?.length ?? 0) > 0 && (
        <>
          <Text size="sm">
            Link each secret to the key version it is, so a rotation can delete the old one in Intercom when it is done.
          </Text>
          <ScrollTable minWidth={720} label="Secrets in Intercom">
            <Table verticalSpacing="xs" aria-labelledby="intercom-secrets-heading">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name in Intercom</Table.Th>
                  <Table.Th scope="col">Platforms</Table.Th>
                  <Table.Th scope="col">Created</Table.Th>
                  <Table.Th scope="col">Key version</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {connection.data.intercomSecrets!.map((secret) => (
                  <SecretRow key={secret.id} tenantId={tenantId} secret={secret} versions={versions} />
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </>
      )}
    </Stack>
  );
}

function SecretRow({
  tenantId,
  secret,
  versions,
}: {
  tenantId: string;
  secret: IntercomSecret;
  versions: readonly SecretVersion[];
}) {
  const live = versions.filter((v) => v.state !== 'retired');
  const [chosen, setChosen] = useState<string>(live[0] ? String(live[0].version) : '');
  const link = useLinkIntercomSecret(tenantId);
  const unlink = useUnlinkIntercomSecret(tenantId);
  const readOnly = useTenantReadOnly();
  const name = secret.name || `Secret ${secret.id}`;

  return (
    <Table.Tr data-testid={`intercom-secret-${secret.id}`}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {name}
        </Text>
        <Text size="xs" c="dimmed">
          id {secret.id}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {secret.platforms.length === 0 ? (
            <Text size="sm" c="dimmed">
              none
            </Text>
          ) : (
            secret.platforms.map((p) => (
              <Badge key={p} variant="light" color="gray" autoContrast>
                {PLATFORM_NAMES[p]}
              </Badge>
            ))
          )}
        </Group>
      </Table.Td>
      <Table.Td>{secret.createdAt ? <DateTime value={secret.createdAt} withTime={false} /> : '—'}</Table.Td>
      <Table.Td>
        {secret.linkedVersion !== null ? (
          <Group gap="xs">
            <Badge color="green" variant="light" autoContrast leftSection={<IconLink aria-hidden size={12} />}>
              Version {secret.linkedVersion}
            </Badge>
            <Button
              size="compact-xs"
              variant="subtle"
              color="gray"
              leftSection={<IconLinkOff aria-hidden size={14} />}
              disabled={readOnly}
              loading={unlink.isPending}
              aria-label={`Unlink ${name} from version ${secret.linkedVersion}`}
              onClick={() =>
                unlink.mutate(secret.linkedVersion!, {
                  onSuccess: () => notifications.show({ message: `${name} is no longer linked to a key version.` }),
                  onError: (error) => notifications.show({ color: 'red', message: errorMessage(error) }),
                })
              }
            >
              Unlink
            </Button>
          </Group>
        ) : live.length === 0 ? (
          <Text size="sm" c="dimmed">
            Save the key above first
          </Text>
        ) : (
          <Group gap="xs" wrap="nowrap">
            <NativeSelect
              size="xs"
              aria-label={`Key version of ${name}`}
              value={chosen}
              onChange={(event) => setChosen(event.currentTarget.value)}
              data={live.map((v) => ({ value: String(v.version), label: `Version ${v.version} (…${v.last4})` }))}
              disabled={readOnly}
            />
            <Button
              size="xs"
              variant="default"
              leftSection={<IconLink aria-hidden size={14} />}
              disabled={readOnly || !chosen}
              loading={link.isPending}
              aria-label={`Link ${name} to the chosen version`}
              onClick={() =>
                link.mutate(
                  { version: Number(chosen), intercomSecretId: secret.id },
                  {
                    onSuccess: () =>
                      notifications.show({ color: 'green', message: `${name} linked to version ${chosen}.` }),
                    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error) }),
                  },
                )
              }
            >
              Link
            </Button>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
