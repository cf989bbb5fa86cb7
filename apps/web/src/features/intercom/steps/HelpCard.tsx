import type { ReactNode } from 'react';
import { Card, Stack, Title } from '@mantine/core';

/** Help beside a step's form: where to find things in Intercom, what to watch out for. */
export function HelpCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" radius="md" bg="var(--mantine-color-default-hover)" component="aside">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}
