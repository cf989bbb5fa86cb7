import type { ReactNode } from 'react';
import { Container, Paper, Stack, Text, Title } from '@mantine/core';

/** The frame of the pages a person sees before signing in. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Container component="main" size={440} py={{ base: 'lg', sm: 80 }}>
      <Stack gap="lg">
        <Stack gap={4} ta="center">
          <Text fw={700} c="dimmed" tt="uppercase" size="sm">
            Messenger Vault
          </Text>
          <Title order={1} size="h2">
            {title}
          </Title>
        </Stack>
        <Paper withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} radius="md">
          {children}
        </Paper>
      </Stack>
    </Container>
  );
}
