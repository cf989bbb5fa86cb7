import { Anchor, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { auditExportHref, type AuditAction } from '../../api/audit';
import { tenantPagePath } from '../../app/paths';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { useDebouncedText } from '../../components/useDebouncedText';
import { useTenantChoices } from '../staff/hooks';
import { AuditTable } from './AuditTable';
import { AUDIT_ACTION_OPTIONS } from './auditActions';
import {
  type StaffAuditFilters,
  auditFiltersFromSearchParams,
  auditFiltersToSearchParams,
  auditQuery,
  dayRangeError,
} from './auditFilters';
import { VerifyChainButton } from './VerifyChainButton';
import { useAuditEvents } from './hooks';

/** `/staff/audit`: the audit trail across tenants, filtered, exported as CSV, and its chain verified. */
export function StaffAuditPage() {
  useDocumentTitle('Audit log · Messenger Vault');
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = auditFiltersFromSearchParams(searchParams);
  const setFilters = (next: StaffAuditFilters) => setSearchParams(auditFiltersToSearchParams(next), { replace: true });
  const query = auditQuery(filters);
  const events = useAuditEvents(query);
  const tenants = useTenantChoices();
  const tenantNames = new Map((tenants.data ?? []).map((tenant) => [tenant.id, tenant.name]));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1} id="staff-audit-heading">
            Audit log
          </Title>
          <Text c="dimmed" maw={720}>
            Every administrative action in every tenant, newest first. Each entry carries the hash of the one before it,
            so a changed or removed entry breaks the chain.
          </Text>
        </Stack>
        <Button
          component="a"
          href={auditExportHref(query)}
          download
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
        >
          Export CSV
        </Button>
      </Group>

      <VerifyChainButton />

      <AuditFiltersForm
        filters={filters}
        onChange={setFilters}
        tenantOptions={(tenants.data ?? []).map((tenant) => ({ value: tenant.id, label: tenant.name }))}
      />

      {events.isPending && <LoadingState label="Loading the audit log…" />}
      {events.isError && (
        <ErrorState title="Couldn't load the audit log" error={events.error} onRetry={() => events.refetch()} />
      )}
      {events.isSuccess && (
        <AuditTable
          events={events.data.pages.flatMap((page) => page.items)}
          labelledBy="staff-audit-heading"
          emptyMessage="No entries match these filters."
          tenantCell={(event) =>
            event.tenantId ? (
              <Anchor component={Link} to={tenantPagePath(event.tenantId)} size="sm">
                {tenantNames.get(event.tenantId) ?? event.tenantId.slice(0, 8)}
              </Anchor>
            ) : (
              <Text size="sm" c="dimmed">
                —
              </Text>
            )
          }
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

function AuditFiltersForm({
  filters,
  onChange,
  tenantOptions,
}: {
  filters: StaffAuditFilters;
  onChange: (filters: StaffAuditFilters) => void;
  tenantOptions: { value: string; label: string }[];
}) {
  // The actor is typed: the list follows once typing pauses, not at every keystroke.
  const [actor, setActor] = useDebouncedText(filters.actor, (typed) => onChange({ ...filters, actor: typed }), 400);

  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
      <Select
        label="Tenant"
        placeholder="All tenants"
        description="Archived ones too"
        data={tenantOptions}
        value={filters.tenantId || null}
        onChange={(value) => onChange({ ...filters, tenantId: value ?? '' })}
        clearable
        searchable
        nothingFoundMessage="No tenant by that name"
      />
      <Select
        label="Action"
        placeholder="All actions"
        description="What was done"
        data={AUDIT_ACTION_OPTIONS}
        value={filters.action || null}
        onChange={(value) => onChange({ ...filters, action: (value ?? '') as AuditAction | '' })}
        clearable
        searchable
      />
      <TextInput
        label="Who"
        description="Email or user id, whole"
        value={actor}
        onChange={(event) => setActor(event.currentTarget.value)}
        autoComplete="off"
        spellCheck={false}
      />
      <TextInput
        label="From"
        description="First day, included"
        type="date"
        value={filters.fromDay}
        onChange={(event) => onChange({ ...filters, fromDay: event.currentTarget.value })}
      />
      <TextInput
        label="To"
        description="Last day, included"
        type="date"
        value={filters.toDay}
        onChange={(event) => onChange({ ...filters, toDay: event.currentTarget.value })}
        error={dayRangeError(filters)}
      />
    </SimpleGrid>
  );
}
