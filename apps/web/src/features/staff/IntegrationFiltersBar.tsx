import type { ProblemCode } from '@messenger-vault/contracts';
import { Button, Chip, Fieldset, Group, Stack, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useDebouncedText } from '../../components/useDebouncedText';
import { DEFAULT_FILTERS, type IntegrationFilters, hasAnyFilter } from './integrationFilters';
import { PROBLEM_FILTERS } from './problems';

/** Problem chips (any of them) and a search box that asks the API once typing pauses. */
export function IntegrationFiltersBar({
  filters,
  onChange,
}: {
  filters: IntegrationFilters;
  onChange: (filters: IntegrationFilters) => void;
}) {
  const [search, setSearch] = useDebouncedText(filters.q, (q) => onChange({ ...filters, q }), 300);

  const clear = () => {
    setSearch('');
    onChange({ ...DEFAULT_FILTERS, sort: filters.sort, order: filters.order });
  };

  return (
    <Stack gap="sm">
      <TextInput
        label="Search"
        description="Tenant name or APP_ID"
        placeholder="acme, abc12345…"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        maxLength={100}
        maw={360}
        type="search"
      />
      <Fieldset legend="Only tenants with any of these problems" variant="unstyled">
        <Group gap="xs" mt={4}>
          <Chip.Group
            multiple
            value={filters.problems}
            onChange={(value) => onChange({ ...filters, problems: value as ProblemCode[] })}
          >
            {PROBLEM_FILTERS.map((problem) => (
              <Chip key={problem.code} value={problem.code} size="sm" variant="outline">
                {problem.label}
              </Chip>
            ))}
          </Chip.Group>
          {hasAnyFilter(filters) && (
            <Button variant="subtle" size="compact-sm" onClick={clear}>
              Clear filters
            </Button>
          )}
        </Group>
      </Fieldset>
    </Stack>
  );
}
