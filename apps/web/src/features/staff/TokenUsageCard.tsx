import { Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { TokenUsageChart } from './TokenUsageChart';
import { useTokenUsage } from './hooks';

const RANGES = ['7', '14', '30'];

/** Tokens issued per platform per day, across tenants or for one, with a choice of range. */
export function TokenUsageCard({ tenantId }: { tenantId?: string }) {
  const [days, setDays] = useState('14');
  const usage = useTokenUsage(Number(days), tenantId);

  return (
    <Card component="section" aria-labelledby="token-usage-heading" withBorder padding="lg" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" gap="sm">
          <Stack gap={2}>
            <Title order={2} size="h3" id="token-usage-heading">
              Tokens per platform
            </Title>
            <Text size="sm" c="dimmed">
              {tenantId ? 'Issued for this tenant' : 'Issued across all tenants'}, per UTC day.
            </Text>
          </Stack>
          <SegmentedControl
            size="xs"
            value={days}
            onChange={setDays}
            aria-label="Days shown"
            data={RANGES.map((value) => ({ value, label: `${value} days` }))}
          />
        </Group>
        {usage.isPending && <LoadingState label="Loading token counts…" />}
        {usage.isError && (
          <ErrorState title="Couldn't load token counts" error={usage.error} onRetry={() => usage.refetch()} />
        )}
        {usage.isSuccess && <TokenUsageChart usage={usage.data} />}
      </Stack>
    </Card>
  );
}
