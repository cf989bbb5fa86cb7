import { Badge, Box, Card, Group, Stack, Text, Title } from '@mantine/core';
import { SETUP_STEPS } from './setupSteps';

/**
 * The tenant's route to a working Intercom connection. For now it names the five steps; the
 * setup wizard (a later issue) replaces the badge with a "Start setup" button and shows each
 * step's status from `GET /api/tenants/:tenantId/intercom`.
 */
export function ConnectIntercomCard() {
  return (
    <Card component="section" aria-labelledby="connect-intercom-heading" withBorder padding="lg" radius="md">
      <Stack gap="md">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h3" id="connect-intercom-heading">
            Connect Intercom
          </Title>
          <Badge variant="light" color="gray">
            Coming in the setup wizard
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          Five steps link this tenant’s Intercom Messenger to Messenger Vault. The setup wizard will take you through
          each of them.
        </Text>
        <Stack component="ol" gap="sm" m={0} p={0} style={{ listStyle: 'none' }}>
          {SETUP_STEPS.map((step) => (
            <Box component="li" key={step.key}>
              <Text fw={600}>{`${step.number}. ${step.title}`}</Text>
              <Text size="sm" c="dimmed">
                {step.why}
              </Text>
            </Box>
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}
