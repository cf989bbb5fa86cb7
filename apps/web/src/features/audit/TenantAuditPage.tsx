import { Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useParams, useSearchParams } from 'react-router';
import type { AuditAction, AuditEvent } from '../../api/audit';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { ScrollTable } from '../../components/ScrollTable';
import { AUDIT_ACTION_LABELS, actorLabel, metadataSummary } from './auditActions';
import { useAuditEvents } from './hooks';

const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }));

/** `/tenants/:tenantId/audit`: every administrative action on this tenant, newest first. */
export function TenantAuditPage() {
  const { tenantId = '' } = useParams();
  useDocumentTitle('Audit log · Messenger Vault');
  // The filter lives in the address, so "back" and a shared link show the same list.
  const [searchParams, setSearchParams] = useSearchParams();
  const action = (searchParams.get('action') as AuditAction | null) ?? undefined;
  const events = useAuditEvents({ tenantId, action });

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={2} id="audit-heading">
          Audit log
        </Title>
        <Text c="dimmed" maw={720}>
          Who changed what for this tenant, newest first. Entries can’t be edited or removed; token requests are
          counted, not listed.
        </Text>
      </Stack>
      <Select
        label="Action"
        placeholder="All actions"
        data={ACTION_OPTIONS}
        value={action ?? null}
        onChange={(value) => setSearchParams(value ? { action: value } : {}, { replace: true })}
        clearable
        searchable
        maw={320}
      />
      {events.isPending && <LoadingState label="Loading the audit log…" />}
      {events.isError && (
        <ErrorState title="Couldn't load the audit log" error={events.error} onRetry={() => events.refetch()} />
      )}
      {events.isSuccess && <AuditTable pages={events.data.pages} filtered={action !== undefined} />}
      {events.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={events.isFetchingNextPage} onClick={() => events.fetchNextPage()}>
            Load older entries
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function AuditTable({ pages, filtered }: { pages: { items: AuditEvent[] }[]; filtered: boolean }) {
  const items = pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {filtered ? 'No entries of this kind yet.' : 'Nothing recorded for this tenant yet.'}
      </Text>
    );
  }
  return (
    <ScrollTable minWidth={720} label="Audit log">
      <Table verticalSpacing="xs" aria-labelledby="audit-heading" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">What</Table.Th>
            <Table.Th scope="col">Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <DateTime value={event.occurredAt} />
              </Table.Td>
              <Table.Td>{actorLabel(event)}</Table.Td>
              <Table.Td>{AUDIT_ACTION_LABELS[event.action] ?? event.action}</Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed" style={{ wordBreak: 'break-word' }}>
                  {metadataSummary(event.metadata)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
