import type { ApiKey, CreatedApiKey } from '@messenger-vault/contracts';
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useParams } from 'react-router';
import { CopyableCode } from '../../components/CopyableCode';
import { DateTime, RelativeTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { ScrollTable } from '../../components/ScrollTable';
import { apiErrorsForForm, errorMessage } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from './hooks';
import { EditLock, useTenantReadOnly } from '../tenants/editLock';

const FIELDS = ['name'] as const;
const NAME_MAX_LENGTH = 100;

/** `/tenants/:tenantId/api-keys`: keys your backend uses to ask Messenger Vault for tokens. */
export function ApiKeysPage() {
  const { tenantId = '' } = useParams();
  useDocumentTitle('API keys · Messenger Vault');
  const keys = useApiKeys(tenantId);

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={2}>API keys</Title>
        <Text c="dimmed" maw={720}>
          Your backend sends one of these with each token request. A key can get a token for any of your users, so keep
          it on your server, never in a web page or an app.
        </Text>
      </Stack>
      <CreateApiKeyCard tenantId={tenantId} />
      <Stack gap="xs" component="section" aria-labelledby="api-key-list-heading">
        <Title order={3} size="h4" id="api-key-list-heading">
          Keys
        </Title>
        {keys.isPending && <LoadingState label="Loading API keys…" />}
        {keys.isError && (
          <ErrorState title="Couldn't load API keys" error={keys.error} onRetry={() => keys.refetch()} />
        )}
        {keys.isSuccess &&
          (keys.data.items.length === 0 ? (
            <Text c="dimmed" size="sm">
              No API keys yet. Create one above for each backend that asks for tokens.
            </Text>
          ) : (
            <ApiKeyTable tenantId={tenantId} keys={keys.data.items} />
          ))}
      </Stack>
    </Stack>
  );
}

function CreateApiKeyCard({ tenantId }: { tenantId: string }) {
  const create = useCreateApiKey(tenantId);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const form = useForm({
    name: 'create-api-key',
    mode: 'uncontrolled',
    initialValues: { name: '' },
    validate: {
      name: (value) => {
        const name = value.trim();
        if (!name) return 'Name the key after where it is used, like "Production backend".';
        if (name.length > NAME_MAX_LENGTH) return `Use at most ${NAME_MAX_LENGTH} characters.`;
        return null;
      },
    },
  });

  const handleSubmit = form.onSubmit(
    ({ name }) =>
      create.mutate(name.trim(), {
        onSuccess: (key) => {
          setCreated(key);
          form.reset();
        },
        onError: (error) => {
          const { fieldErrors } = apiErrorsForForm(error, FIELDS);
          form.setErrors(fieldErrors);
          focusFirstError(form, fieldErrors);
        },
      }),
    (errors) => focusFirstError(form, errors),
  );
  const formMessages = create.error ? apiErrorsForForm(create.error, FIELDS).formMessages : [];

  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="create-api-key-heading">
      <Stack>
        <Title order={3} size="h4" id="create-api-key-heading">
          Create a key
        </Title>
        {created ? (
          <Stack>
            <Alert color="green" title={`Key "${created.name}" created`} role="status">
              Copy it into your backend’s configuration now. It is shown only this once; if you lose it, revoke it and
              create another.
            </Alert>
            <CopyableCode code={created.key} label="new API key" wrap />
            <Group>
              <Button variant="default" onClick={() => setCreated(null)}>
                Done, I’ve stored it
              </Button>
            </Group>
          </Stack>
        ) : (
          <form onSubmit={handleSubmit} noValidate>
            <EditLock>
              <Group align="flex-start" gap="sm">
                <TextInput
                  label="Name"
                  description="Where the key is used, so you know which to revoke."
                  placeholder="Production backend"
                  withAsterisk
                  style={{ flex: '1 1 260px' }}
                  key={form.key('name')}
                  {...form.getInputProps('name')}
                />
                <Button type="submit" mt={{ base: 0, sm: 46 }} loading={create.isPending}>
                  Create key
                </Button>
              </Group>
              {formMessages.length > 0 && (
                <Alert color="red" title="Couldn't create the key" mt="sm">
                  {formMessages.join(' ')}
                </Alert>
              )}
            </EditLock>
          </form>
        )}
      </Stack>
    </Card>
  );
}

function ApiKeyTable({ tenantId, keys }: { tenantId: string; keys: ApiKey[] }) {
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const readOnly = useTenantReadOnly();
  const [opened, modal] = useDisclosure(false);
  return (
    <>
      <ScrollTable minWidth={620} label="API keys">
        <Table verticalSpacing="sm" aria-labelledby="api-key-list-heading">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Key starts with</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col">Last used</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((key) => (
              <Table.Tr key={key.id}>
                <Table.Td fw={500}>{key.name}</Table.Td>
                <Table.Td ff="monospace">{key.prefix}…</Table.Td>
                <Table.Td>
                  <DateTime value={key.createdAt} withTime={false} />
                </Table.Td>
                <Table.Td>{key.lastUsedAt ? <RelativeTime value={key.lastUsedAt} /> : 'Never'}</Table.Td>
                <Table.Td>
                  {key.revokedAt ? (
                    <Badge color="gray" variant="light" autoContrast>
                      Revoked
                    </Badge>
                  ) : (
                    <Badge color="green" variant="light" autoContrast>
                      Active
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  {!key.revokedAt && (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Revoke ${key.name}`}
                      disabled={readOnly}
                      onClick={() => {
                        setRevoking(key);
                        modal.open();
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <RevokeModal tenantId={tenantId} apiKey={revoking} opened={opened} onClose={modal.close} />
    </>
  );
}

function RevokeModal({
  tenantId,
  apiKey,
  opened,
  onClose,
}: {
  tenantId: string;
  apiKey: ApiKey | null;
  opened: boolean;
  onClose: () => void;
}) {
  const revoke = useRevokeApiKey(tenantId);
  const close = () => {
    revoke.reset();
    onClose();
  };
  const confirm = () =>
    apiKey &&
    revoke.mutate(apiKey.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: `${apiKey.name} is revoked.` });
        close();
      },
    });
  return (
    <Modal opened={opened} onClose={close} title={`Revoke ${apiKey?.name ?? 'this key'}?`}>
      <Stack>
        <Text size="sm">
          Token requests with it fail at once. Put a new key in that backend first if it should keep working.
        </Text>
        {revoke.error && (
          <Alert color="red" title="Couldn't revoke the key">
            {errorMessage(revoke.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" loading={revoke.isPending} onClick={confirm}>
            Revoke key
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
