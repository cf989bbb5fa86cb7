import type { IntercomSetup } from '@messenger-vault/contracts';
import type { ReactNode, RefObject } from 'react';
import { Button, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link } from 'react-router';
import { SETUP_STEPS, type WizardStep } from '../setupSteps';

export interface StepProps {
  tenantId: string;
  setup: IntercomSetup;
  /** The step's heading takes focus when the person moves between steps. */
  headingRef: RefObject<HTMLHeadingElement | null>;
  /** Go on to the next step (after the last: "Test it"). */
  onNext: () => void;
  previousPath: string | null;
}

/** The frame of every step: number, title, why it matters; the form, and beside it the help. */
export function StepFrame({
  step,
  title,
  why,
  headingRef,
  aside,
  below,
  children,
}: {
  step?: WizardStep;
  title?: string;
  why?: string;
  headingRef: StepProps['headingRef'];
  aside?: ReactNode;
  /** Full width, under the form and the help: tables that need the room. */
  below?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Stack gap="md" component="section" aria-labelledby="wizard-step-heading">
      <Stack gap={4}>
        {step && (
          <Text size="sm" c="dimmed" fw={500}>
            Step {step.number} of {SETUP_STEPS.length}
          </Text>
        )}
        <Title order={2} id="wizard-step-heading" ref={headingRef} tabIndex={-1} style={{ outline: 'none' }}>
          {title ?? step?.title}
        </Title>
        <Text c="dimmed" maw={720}>
          {why ?? step?.why}
        </Text>
      </Stack>
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: aside ? 7 : 12 }}>{children}</Grid.Col>
        {aside && <Grid.Col span={{ base: 12, md: 5 }}>{aside}</Grid.Col>}
      </Grid>
      {below}
    </Stack>
  );
}

/** "Back" to the previous step, and whatever moves this one forward. */
export function StepFooter({ previousPath, children }: { previousPath: string | null; children?: ReactNode }) {
  return (
    <Group justify="space-between" mt="md">
      {previousPath ? (
        <Button
          component={Link}
          to={previousPath}
          variant="subtle"
          leftSection={<IconArrowLeft size={16} aria-hidden />}
        >
          Back
        </Button>
      ) : (
        <span />
      )}
      <Group gap="sm">{children}</Group>
    </Group>
  );
}
