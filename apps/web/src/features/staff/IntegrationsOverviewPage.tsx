import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useSearchParams } from 'react-router';
import type { IntegrationSort } from '../../api/staff';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { ExportCsvButton } from './ExportCsvButton';
import { IntegrationFiltersBar } from './IntegrationFiltersBar';
import { IntegrationsTable } from './IntegrationsTable';
import { TokenUsageCard } from './TokenUsageCard';
import { useIntegrations } from './hooks';
import {
  type IntegrationFilters,
  filtersFromSearchParams,
  filtersToSearchParams,
  hasAnyFilter,
  integrationsQuery,
  sortBy,
} from './integrationFilters';

/** `/staff/integrations`: every tenant's Intercom integration, what needs attention, and the traffic. */
export function IntegrationsOverviewPage() {
  useDocumentTitle('Integrations · Messenger Vault');
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = filtersFromSearchParams(searchParams);
  const query = integrationsQuery(filters);
  const integrations = useIntegrations(query);
  const setFilters = (next: IntegrationFilters) => setSearchParams(filtersToSearchParams(next), { replace: true });

  const rows = integrations.data?.pages.flatMap((page) => page.items) ?? [];
  const total = integrations.data?.pages[0]?.total ?? 0;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1} id="integrations-heading">
            Integrations
          </Title>
          <Text c="dimmed" maw={720}>
            Every tenant’s Intercom connection: secret age and rotation, identity mode, Messenger Security and traffic
            per platform. Open a tenant to see its setup; it opens read-only.
          </Text>
        </Stack>
        <ExportCsvButton query={query} disabled={!integrations.isSuccess || total === 0} />
      </Group>

      <TokenUsageCard />

      <IntegrationFiltersBar filters={filters} onChange={setFilters} />

      {integrations.isPending && <LoadingState label="Loading integrations…" />}
      {integrations.isError && (
        <ErrorState
          title="Couldn't load the integrations"
          error={integrations.error}
          onRetry={() => integrations.refetch()}
        />
      )}
      {integrations.isSuccess && (
        <Stack gap="sm" aria-busy={integrations.isPlaceholderData}>
          <Text size="sm" c="dimmed" role="status">
            {total === 0
              ? ''
              : rows.length < total
                ? `Showing ${rows.length} of ${total} tenants`
                : `${total} ${total === 1 ? 'tenant' : 'tenants'}`}
          </Text>
          {rows.length === 0 ? (
            <EmptyOverview
              filtered={hasAnyFilter(filters)}
              onClear={() => setFilters({ ...filters, problems: [], q: '' })}
            />
          ) : (
            <IntegrationsTable
              rows={rows}
              filters={filters}
              onSort={(column: IntegrationSort) => setFilters(sortBy(filters, column))}
            />
          )}
          {integrations.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                loading={integrations.isFetchingNextPage}
                onClick={() => integrations.fetchNextPage()}
              >
                Load more
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}

function EmptyOverview({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  return (
    <Stack align="center" py="xl" gap="sm">
      <Title order={2} size="h3">
        {filtered ? 'No tenant matches these filters' : 'No tenants yet'}
      </Title>
      <Text c="dimmed" ta="center" maw={420}>
        {filtered
          ? 'Try fewer problems, or another search.'
          : 'Tenants appear here once they are created on the Tenants page.'}
      </Text>
      {filtered && (
        <Button variant="default" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </Stack>
  );
}
