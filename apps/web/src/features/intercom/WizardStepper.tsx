import type { StepKey } from '@messenger-vault/contracts';
import type { ReactNode } from 'react';
import { Stepper, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCheck, IconFlask } from '@tabler/icons-react';
import { SETUP_STEPS } from './setupSteps';

/**
 * The five steps and "Test it" as a row of buttons. Mantine's Stepper marks every step before the
 * active one as completed; here a check means what the server says (`steps[].done`), wherever
 * the step sits, and a step passed but not done keeps its number. On a phone only the icons show;
 * the words stay in the buttons for screen readers, so each is named "Step 2: Secret key, done".
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
  const shown = (text: ReactNode) => (wide ? text : <VisuallyHidden>{text}</VisuallyHidden>);
  return (
    <nav aria-label="Setup steps">
      <Stepper
        active={active}
        onStepClick={onSelect}
        size="sm"
        iconSize={wide ? 34 : 28}
        wrap={wide}
        labelPosition={wide ? 'bottom' : 'right'}
        // On a phone the words are hidden, so their margin goes too: six icons fit on one line.
        styles={wide ? undefined : { stepBody: { marginInlineStart: 0 }, separator: { marginInline: 6 } }}
      >
        {SETUP_STEPS.map((step, index) => {
          const isDone = done[step.key];
          // The number is already in the button's words; the icon only repeats it for the eye.
          const mark = isDone ? <IconCheck size={16} aria-hidden /> : <span aria-hidden>{step.number}</span>;
          // Passed but not done: a pale disc with a dark number, not the "completed" fill.
          const passedMark = isDone ? (
            mark
          ) : (
            <span aria-hidden style={{ color: 'var(--mantine-color-black)' }}>
              {step.number}
            </span>
          );
          return (
            <Stepper.Step
              key={step.key}
              label={
                <>
                  <VisuallyHidden>Step {step.number}: </VisuallyHidden>
                  {shown(step.title)}
                </>
              }
              description={
                <>
                  <VisuallyHidden>, </VisuallyHidden>
                  {shown(isDone ? 'done' : 'to do')}
                </>
              }
              icon={mark}
              completedIcon={passedMark}
              progressIcon={mark}
              color={isDone ? 'green' : index < active ? 'gray.3' : undefined}
              aria-current={index === active ? 'step' : undefined}
            />
          );
        })}
        <Stepper.Step
          label={shown('Test it')}
          description={shown('Issue and check a token')}
          icon={<IconFlask size={16} aria-hidden />}
          progressIcon={<IconFlask size={16} aria-hidden />}
          aria-current={active === SETUP_STEPS.length ? 'step' : undefined}
        />
      </Stepper>
    </nav>
  );
}
