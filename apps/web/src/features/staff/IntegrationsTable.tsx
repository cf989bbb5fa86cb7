import type { Platform } from '@messenger-vault/contracts';
import { Anchor, Badge, Code, Group, Stack, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconCheck, IconMinus, IconSelector, IconX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { IntegrationRow, IntegrationSort } from '../../api/staff';
import { tenantPagePath } from '../../app/paths';
import { DateTime, RelativeTime } from '../../components/DateTime';
import { ScrollTable } from '../../components/ScrollTable';
import { HEALTH_BADGES, PLATFORMS, PLATFORM_NAMES, platformHealth } from '../intercom/platforms';
import type { IntegrationFilters } from './integrationFilters';
import { problemBadges } from './problems';

const ROTATION_BADGES: Readonly<Record<IntegrationRow['rotationStatus'], { label: string; color: string } | null>> = {
  none: null,
  ok: { label: 'On schedule', color: 'green' },
  due_soon: { label: 'Due soon', color: 'yellow' },
  overdue: { label: 'Overdue', color: 'red' },
};

const HEALTH_ICONS = { protected: IconCheck, quiet: IconMinus, off: IconX };

/** The overview's table: one row per tenant, headers that sort, and the tenant's name to drill down. */
export function IntegrationsTable({
  rows,
  filters,
  onSort,
}: {
  rows: IntegrationRow[];
  filters: IntegrationFilters;
  onSort: (column: IntegrationSort) => void;
}) {
  const sortable = (column: IntegrationSort, label: string, align?: 'right') => (
    <SortableHeader column={column} filters={filters} onSort={onSort} align={align}>
      {label}
    </SortableHeader>
  );
  return (
    <ScrollTable minWidth={1000} label="Integrations">
      <Table aria-labelledby="integrations-heading" verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {sortable('name', 'Tenant')}
            <Table.Th scope="col">Identity</Table.Th>
            {sortable('rotationDueAt', 'Key and rotation')}
            <Table.Th scope="col">Auto-rotate</Table.Th>
            <Table.Th scope="col">Platforms</Table.Th>
            {sortable('tokensLast24h', 'Tokens, 24 h', 'right')}
            {sortable('lastTokenAt', 'Last token')}
            <Table.Th scope="col">Steps</Table.Th>
            {sortable('problems', 'Problems')}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <IntegrationTableRow key={row.tenantId} row={row} />
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function SortableHeader({
  column,
  filters,
  onSort,
  align,
  children,
}: {
  column: IntegrationSort;
  filters: IntegrationFilters;
  onSort: (column: IntegrationSort) => void;
  align?: 'right';
  children: ReactNode;
}) {
  const active = filters.sort === column;
  const Icon = !active ? IconSelector : filters.order === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <Table.Th
      scope="col"
      ta={align}
      aria-sort={active ? (filters.order === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <UnstyledButton onClick={() => onSort(column)} fw={700} fz="sm" style={{ whiteSpace: 'nowrap' }}>
        <Group gap={4} wrap="nowrap" justify={align === 'right' ? 'flex-end' : undefined}>
          {children}
          <Icon size={14} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

function IntegrationTableRow({ row }: { row: IntegrationRow }) {
  const rotation = ROTATION_BADGES[row.rotationStatus];
  const badges = problemBadges(row.problems);
  return (
    <Table.Tr>
      <Table.Td>
        <Stack gap={2}>
          <Anchor component={Link} to={tenantPagePath(row.tenantId)} fw={600}>
            {row.tenantName}
          </Anchor>
          {row.appId ? (
            <Code w="fit-content">{row.appId}</Code>
          ) : (
            <Text size="sm" c="dimmed">
              No APP_ID
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>{row.identityMode === 'jwt' ? 'JWT' : 'HMAC'}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {row.secretVersion === null ? (
          <Text size="sm" c="dimmed">
            No key
          </Text>
        ) : (
          <Stack gap={2} align="flex-start">
            <Text size="sm">
              v{row.secretVersion}
              {row.secretAgeDays !== null &&
                ` · ${row.secretAgeDays === 1 ? '1 day' : `${row.secretAgeDays} days`} old`}
            </Text>
            {row.rotationDueAt && (
              <Text size="xs" c="dimmed">
                Rotate by <DateTime value={row.rotationDueAt} withTime={false} />
              </Text>
            )}
            {rotation && (
              <Badge color={rotation.color} variant="light" size="sm" tt="none">
                {rotation.label}
              </Badge>
            )}
          </Stack>
        )}
      </Table.Td>
      <Table.Td>
        {row.autoRotate ? (
          <Badge color="green" variant="light" size="sm" tt="none" aria-label="Automatic rotation on">
            On
          </Badge>
        ) : (
          <Text size="sm" c="dimmed" aria-label="Automatic rotation off">
            Off
          </Text>
        )}
      </Table.Td>
      <Table.Td miw={110}>
        <Stack gap={4} align="flex-start">
          {PLATFORMS.map((platform) => (
            <PlatformChip key={platform} platform={platform} row={row} />
          ))}
        </Stack>
      </Table.Td>
      <Table.Td ta="right">{row.tokensLast24h}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {row.lastTokenAt ? <RelativeTime value={row.lastTokenAt} /> : 'Never'}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{row.stepsDone} of 5</Table.Td>
      <Table.Td miw={200}>
        {badges.length === 0 ? (
          <Text size="sm" c="dimmed">
            None
          </Text>
        ) : (
          <Group gap={4}>
            {badges.map((badge) => (
              <Badge
                key={badge.key}
                color={badge.color}
                variant="light"
                tt="none"
                title={badge.message}
                // Long badges ("Platform off · Web, iOS, Android") wrap rather than widen the table.
                h="auto"
                py={2}
                styles={{ label: { whiteSpace: 'normal' } }}
              >
                {badge.label}
              </Badge>
            ))}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** "Web ✓": the platform's health as colour and icon, and in words for screen readers. */
function PlatformChip({ platform, row }: { platform: Platform; row: IntegrationRow }) {
  const status = row.platforms[platform];
  const health = platformHealth(status);
  const Icon = HEALTH_ICONS[health];
  const { label, color } = HEALTH_BADGES[health];
  return (
    <Badge
      size="sm"
      variant="light"
      color={color}
      tt="none"
      leftSection={<Icon size={12} aria-hidden />}
      title={`${PLATFORM_NAMES[platform]}: ${label}, ${status.tokensLast24h} tokens in 24 h`}
    >
      {PLATFORM_NAMES[platform]}
      <VisuallyHidden>: {label}</VisuallyHidden>
    </Badge>
  );
}
