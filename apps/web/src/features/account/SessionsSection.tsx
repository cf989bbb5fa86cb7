import { Alert, Badge, Button, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { Session } from '../../api/sessions';
import { DateTime, RelativeTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { ScrollTable } from '../../components/ScrollTable';
import { errorMessage } from '../../forms/apiErrors';
import { useEndOtherSessions, useEndSession, useSessions } from './hooks';

/** Where the account is signed in, with "sign out" per session and "sign out everywhere else". */
export function SessionsSection() {
  const sessions = useSessions();
  const endOthers = useEndOtherSessions();
  const [notice, setNotice] = useState<string | null>(null);

  let body;
  if (sessions.isPending) body = <LoadingState label="Loading your sessions…" />;
  else if (sessions.isError)
    body = (
      <ErrorState title="Couldn't load your sessions" error={sessions.error} onRetry={() => void sessions.refetch()} />
    );
  else {
    const list = sessions.data.sessions;
    const others = list.filter((s) => !s.current).length;
    body = (
      <Stack>
        {others === 0 && <Text c="dimmed">You are signed in only here.</Text>}
        <SessionsTable sessions={list} />
        {endOthers.error && <Alert color="red">{errorMessage(endOthers.error)}</Alert>}
        <Group>
          <Button
            color="red"
            variant="light"
            disabled={others === 0}
            loading={endOthers.isPending}
            onClick={() =>
              endOthers.mutate(undefined, {
                onSuccess: ({ ended }) =>
                  setNotice(`Signed out ${ended} other ${ended === 1 ? 'session' : 'sessions'}.`),
              })
            }
          >
            Sign out everywhere else
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack component="section" aria-labelledby="sessions-title">
      <Title order={2} id="sessions-title">
        Sessions
      </Title>
      <Text size="sm" c="dimmed">
        Every browser signed in to your account. Changing your password or two-factor sign-in signs the others out.
      </Text>
      {notice && (
        <Alert color="green" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {body}
    </Stack>
  );
}

function SessionsTable({ sessions }: { sessions: Session[] }) {
  return (
    <ScrollTable minWidth={560} label="Sessions">
      <Table aria-label="Your sessions" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>IP address</Table.Th>
            <Table.Th>Signed in</Table.Th>
            <Table.Th>Last seen</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.map((session) => (
            <SessionRow key={session.id} session={session} />
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function SessionRow({ session }: { session: Session }) {
  const end = useEndSession();
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm">{session.device.label}</Text>
          {session.current && (
            <Badge size="sm" variant="light">
              This browser
            </Badge>
          )}
          {session.signedInWith === 'sso' && (
            <Badge size="sm" variant="outline" color="gray">
              SSO
            </Badge>
          )}
        </Group>
        {end.error && (
          <Text size="xs" c="red">
            {errorMessage(end.error)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{session.ip ?? 'unknown'}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          <DateTime value={session.createdAt} />
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{session.current ? 'Now' : <RelativeTime value={session.lastSeenAt} />}</Text>
      </Table.Td>
      <Table.Td>
        {!session.current && (
          <Button
            size="xs"
            variant="default"
            loading={end.isPending}
            aria-label={`Sign out ${session.device.label}`}
            onClick={() => end.mutate(session.id)}
          >
            Sign out
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
