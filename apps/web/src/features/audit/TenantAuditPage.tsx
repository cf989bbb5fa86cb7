import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useParams, useSearchParams } from 'react-router';
import type { AuditAction } from '../../api/audit';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { AuditTable } from './AuditTable';
import { AUDIT_ACTION_OPTIONS } from './auditActions';
import { useAuditEvents } from './hooks';

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
        data={AUDIT_ACTION_OPTIONS}
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
      {events.isSuccess && (
        <AuditTable
          events={events.data.pages.flatMap((page) => page.items)}
          labelledBy="audit-heading"
          emptyMessage={action ? 'No entries of this kind yet.' : 'Nothing recorded for this tenant yet.'}
        />
      )}
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
