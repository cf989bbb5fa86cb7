import { useState } from 'react';
import { Alert, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { addPasskey, listPasskeys, removePasskey, renamePasskey, type Passkey } from '../../api/passkeys';
import { DateTime } from '../../components/DateTime';
import { errorMessage } from '../../forms/apiErrors';
import { authKeys } from '../auth/hooks';

const passkeyKeys = { list: () => [...authKeys.all, 'passkeys'] as const };

/** Passkeys (decision 0052): a second factor, or the only one; adding or removing one signs out other sessions. */
export function PasskeysSection() {
  const queryClient = useQueryClient();
  const passkeys = useQuery({ queryKey: passkeyKeys.list(), queryFn: ({ signal }) => listPasskeys(signal) });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: passkeyKeys.list() }),
      queryClient.invalidateQueries({ queryKey: authKeys.currentUser() }),
    ]);
  const add = useMutation({ mutationFn: addPasskey, onSuccess: refresh });
  const remove = useMutation({ mutationFn: removePasskey, onSuccess: refresh });
  const [name, setName] = useState('');

  return (
    <Stack>
      <Title order={2}>Passkeys</Title>
      <Text size="sm">
        A passkey (Touch ID, Windows Hello, a security key, or your phone) can be your second factor instead of, or as
        well as, a code. Adding or removing one signs out your other sessions.
      </Text>
      {!browserSupportsWebAuthn() && <Alert color="orange">This browser cannot use passkeys.</Alert>}
      {passkeys.data && passkeys.data.length > 0 && (
        <Table aria-label="Passkeys">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Added</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {passkeys.data.map((p) => (
              <PasskeyRow key={p.id} passkey={p} onRemove={() => remove.mutate(p.id)} onRenamed={refresh} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {remove.error && <Alert color="red">{errorMessage(remove.error)}</Alert>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate(name.trim() || undefined, { onSuccess: () => setName('') });
        }}
        noValidate
      >
        <Group align="flex-end">
          <TextInput
            label="Passkey name"
            placeholder="MacBook Touch ID"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            maxLength={100}
          />
          <Button type="submit" loading={add.isPending} variant="light">
            Add a passkey
          </Button>
        </Group>
      </form>
      {add.error && <Alert color="red">{errorMessage(add.error)}</Alert>}
      {add.isSuccess && <Alert color="green">Passkey added. Your other sessions were signed out.</Alert>}
    </Stack>
  );
}

function PasskeyRow({
  passkey,
  onRemove,
  onRenamed,
}: {
  passkey: Passkey;
  onRemove: () => void;
  onRenamed: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(passkey.name);
  const rename = useMutation({
    mutationFn: () => renamePasskey(passkey.id, name.trim()),
    onSuccess: () => {
      setEditing(false);
      onRenamed();
    },
  });
  return (
    <Table.Tr>
      <Table.Td>
        {editing ? (
          <TextInput
            aria-label="New name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={rename.error ? errorMessage(rename.error) : undefined}
          />
        ) : (
          passkey.name
        )}
      </Table.Td>
      <Table.Td>
        <DateTime value={passkey.createdAt} />
      </Table.Td>
      <Table.Td>{passkey.lastUsedAt ? <DateTime value={passkey.lastUsedAt} /> : 'Never'}</Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end">
          {editing ? (
            <Button size="xs" onClick={() => rename.mutate()} loading={rename.isPending}>
              Save
            </Button>
          ) : (
            <Button size="xs" variant="default" onClick={() => setEditing(true)}>
              Rename
            </Button>
          )}
          <Button size="xs" color="red" variant="light" onClick={onRemove} aria-label={`Remove ${passkey.name}`}>
            Remove
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
