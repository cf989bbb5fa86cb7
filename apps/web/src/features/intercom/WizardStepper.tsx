import type { StepKey } from '@messenger-vault/contracts';
import { Stepper } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCheck, IconFlask } from '@tabler/icons-react';
import { SETUP_STEPS } from './setupSteps';

/**
 * The five steps and "Test it" as a row of buttons. Mantine's Stepper marks every step before the
 * active one as completed; here a check means what the server says (`steps[].done`), wherever
 * the step sits, and a step passed but not done keeps its number. On a phone only the icons show;
 * each button's accessible name still says the step and whether it is done.
 */
export function WizardStepper({
  active,
  done,
  onSelect,
}: {
  active: number;
  done: Record<StepKey, boolean>;
  onSelect: (index: number) => void;
}) {
  const wide = useMediaQuery('(min-width: 62em)', true, { getInitialValueInEffect: false });
  return (
    <nav aria-label="Setup steps">
      <Stepper active={active} onStepClick={onSelect} size="sm" iconSize={wide ? 34 : 30}>
        {SETUP_STEPS.map((step, index) => {
          const isDone = done[step.key];
          const mark = isDone ? <IconCheck size={16} aria-hidden /> : step.number;
          return (
            <Stepper.Step
              key={step.key}
              label={wide ? step.title : undefined}
              description={wide ? (isDone ? 'Done' : 'To do') : undefined}
              icon={mark}
              completedIcon={mark}
              progressIcon={mark}
              color={isDone ? 'green' : index < active ? 'gray' : undefined}
              aria-label={`Step ${step.number}: ${step.title}, ${isDone ? 'done' : 'not done yet'}`}
              aria-current={index === active ? 'step' : undefined}
            />
          );
        })}
        <Stepper.Step
          label={wide ? 'Test it' : undefined}
          description={wide ? 'Issue and check a token' : undefined}
          icon={<IconFlask size={16} aria-hidden />}
          progressIcon={<IconFlask size={16} aria-hidden />}
          aria-label="Test it: issue a test token and check it"
          aria-current={active === SETUP_STEPS.length ? 'step' : undefined}
        />
      </Stepper>
    </nav>
  );
}
