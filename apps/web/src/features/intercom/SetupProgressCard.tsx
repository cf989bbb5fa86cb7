import type { IntercomSetup } from '@messenger-vault/contracts';
import { Anchor, Box, Button, Card, Group, Progress, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconCircleDashed } from '@tabler/icons-react';
import { Link } from 'react-router';
import { setupPath } from '../../app/paths';
import { SETUP_STEPS, TEST_IT_SLUG, doneSteps, nextSlug } from './setupSteps';

/** The tenant's way to a working Intercom connection: the five steps, which are done, what's next. */
export function SetupProgressCard({ tenantId, setup }: { tenantId: string; setup: IntercomSetup }) {
  const done = doneSteps(setup.steps);
  const doneCount = SETUP_STEPS.filter((step) => done[step.key]).length;
  const allDone = doneCount === SETUP_STEPS.length;

  return (
    <Card component="section" aria-labelledby="setup-progress-heading" withBorder padding="lg" radius="md">
      <Stack gap="md">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h3" id="setup-progress-heading">
            Connect Intercom
          </Title>
          <Text size="sm" c="dimmed">
            {doneCount} of {SETUP_STEPS.length} steps done
          </Text>
        </Group>
        <Progress
          value={(doneCount / SETUP_STEPS.length) * 100}
          color={allDone ? 'green' : undefined}
          aria-label={`Setup progress: ${doneCount} of ${SETUP_STEPS.length} steps done`}
        />
        <Stack component="ol" gap="sm" m={0} p={0} style={{ listStyle: 'none' }}>
          {SETUP_STEPS.map((step) => (
            <Group component="li" key={step.key} gap="sm" wrap="nowrap" align="flex-start">
              <ThemeIcon
                size="sm"
                radius="xl"
                variant={done[step.key] ? 'filled' : 'light'}
                color={done[step.key] ? 'green' : 'gray'}
                aria-hidden
              >
                {done[step.key] ? <IconCheck size={12} /> : <IconCircleDashed size={12} />}
              </ThemeIcon>
              <Box>
                <Anchor component={Link} to={setupPath(tenantId, step.slug)} fw={600}>
                  {`${step.number}. ${step.title}`}
                </Anchor>
                <Text span size="sm" c="dimmed">
                  {done[step.key] ? ' — done' : ' — to do'}
                </Text>
                <Text size="sm" c="dimmed">
                  {step.why}
                </Text>
              </Box>
            </Group>
          ))}
        </Stack>
        <Group>
          <Button component={Link} to={setupPath(tenantId, nextSlug(done))}>
            {allDone ? 'Test your setup' : doneCount === 0 ? 'Start setup' : 'Continue setup'}
          </Button>
          {!allDone && (
            <Button component={Link} to={setupPath(tenantId, TEST_IT_SLUG)} variant="default">
              Test a token
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
