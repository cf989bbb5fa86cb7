import type { ComponentType } from 'react';
import type { StepProps } from './steps/StepFrame';

type StepModule = Promise<{ default: ComponentType<StepProps> }>;

/** A step's module, resolved once all of Mantine's styles have arrived too (app/allStyles.ts). */
function withAllStyles<M>(step: Promise<M>): Promise<M> {
  return Promise.all([step, import('../../app/allStyles')]).then(([module]) => module);
}

/**
 * Each wizard step is its own chunk: a page shows one step, and together they were most of the
 * wizard's JavaScript (decision 0055). Keyed by the step's address (setupSteps.ts). The first
 * step's styles come with the shell (AppShell.tsx); the others load all of Mantine's (decision 0060).
 */
export const STEP_CHUNKS: Record<string, () => StepModule> = {
  'app-id': () => import('./steps/AppIdStep').then((m) => ({ default: m.AppIdStep })),
  'secret-key': () => withAllStyles(import('./steps/SecretKeyStep')).then((m) => ({ default: m.SecretKeyStep })),
  'messenger-security': () =>
    withAllStyles(import('./steps/MessengerSecurityStep')).then((m) => ({ default: m.MessengerSecurityStep })),
  'best-practices': () =>
    withAllStyles(import('./steps/BestPracticesStep')).then((m) => ({ default: m.BestPracticesStep })),
  'identity-verification': () =>
    withAllStyles(import('./steps/IdentityVerificationStep')).then((m) => ({ default: m.IdentityVerificationStep })),
  test: () => withAllStyles(import('./steps/TestItStep')).then((m) => ({ default: m.TestItStep })),
};
