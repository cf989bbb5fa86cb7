import { lazy, Suspense, useEffect, useRef } from 'react';
import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useNavigate, useParams } from 'react-router';
import { setupPath } from '../../app/paths';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { useTenant } from '../tenants/hooks';
import type { StepProps } from './steps/StepFrame';
import { useIntercomSetup } from './hooks';
import { SETUP_STEPS, TEST_IT_SLUG, doneSteps, stepBySlug } from './setupSteps';
import { STEP_CHUNKS } from './stepChunks';
import { WizardStepper } from './WizardStepper';

// One lazy component per step address, made once: a new one per render would remount the step.
const STEP_SCREENS = Object.fromEntries(Object.entries(STEP_CHUNKS).map(([slug, load]) => [slug, lazy(load)]));

/** `/tenants/:tenantId/setup/:step`: the five steps of connecting Intercom, then "Test it". */
export function SetupWizardPage() {
  const { tenantId = '', step: slug } = useParams();
  const navigate = useNavigate();
  const tenant = useTenant(tenantId);
  const setup = useIntercomSetup(tenantId);
  const step = stepBySlug(slug);
  const isTestIt = slug === TEST_IT_SLUG;
  const title = step ? `Step ${step.number}: ${step.title}` : isTestIt ? 'Test it' : 'Setup';
  useDocumentTitle(`${title} · ${tenant.data?.name ?? 'Tenant'} · Messenger Vault`);
  const headingRef = useMoveFocusOnStepChange(slug);

  if (!step && !isTestIt) {
    return (
      <Stack gap="sm">
        <Title order={2}>No such step</Title>
        <Text>
          The setup has five steps and a test.{' '}
          <Anchor component={Link} to={setupPath(tenantId)}>
            Go to the next step to do
          </Anchor>
          .
        </Text>
      </Stack>
    );
  }

  const active = step ? step.number - 1 : SETUP_STEPS.length;
  const goTo = (index: number) => navigate(setupPath(tenantId, SETUP_STEPS[index]?.slug ?? TEST_IT_SLUG));
  const stepProps = (data: NonNullable<typeof setup.data>): StepProps => ({
    tenantId,
    setup: data,
    headingRef,
    onNext: () => goTo(active + 1),
    previousPath: active > 0 ? setupPath(tenantId, SETUP_STEPS[active - 1]!.slug) : null,
  });

  return (
    <Stack gap="lg">
      <WizardStepper active={active} done={doneSteps(setup.data?.steps)} onSelect={goTo} />
      {setup.isPending && <LoadingState label="Loading the Intercom setup…" />}
      {setup.isError && (
        <ErrorState title="Couldn't load the Intercom setup" error={setup.error} onRetry={() => setup.refetch()} />
      )}
      {setup.isSuccess && slug && (
        <Suspense fallback={<LoadingState label="Loading the step…" />}>
          {renderStep(slug, stepProps(setup.data))}
        </Suspense>
      )}
    </Stack>
  );
}

function renderStep(slug: string, props: StepProps) {
  const Screen = STEP_SCREENS[slug];
  return Screen ? <Screen key={slug} {...props} /> : null;
}

/**
 * Moving between steps swaps the page below the stepper without a page load, so focus moves to
 * the new step's heading: a screen reader announces it and Tab continues from there.
 */
function useMoveFocusOnStepChange(slug: string | undefined) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const previous = useRef(slug);
  useEffect(() => {
    if (previous.current === slug) return;
    previous.current = slug;
    headingRef.current?.focus();
  }, [slug]);
  return headingRef;
}
