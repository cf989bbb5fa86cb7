import type { ComponentType } from 'react';
import type { StepProps } from './steps/StepFrame';

type StepModule = Promise<{ default: ComponentType<StepProps> }>;

/**
 * Each wizard step is its own chunk: a page shows one step, and together they were most of the
 * wizard's JavaScript (decision 0055). Keyed by the step's address (setupSteps.ts).
 */
export const STEP_CHUNKS: Record<string, () => StepModule> = {
  'app-id': () => import('./steps/AppIdStep').then((m) => ({ default: m.AppIdStep })),
  'secret-key': () => import('./steps/SecretKeyStep').then((m) => ({ default: m.SecretKeyStep })),
  'messenger-security': () =>
    import('./steps/MessengerSecurityStep').then((m) => ({ default: m.MessengerSecurityStep })),
  'best-practices': () => import('./steps/BestPracticesStep').then((m) => ({ default: m.BestPracticesStep })),
  'identity-verification': () =>
    import('./steps/IdentityVerificationStep').then((m) => ({ default: m.IdentityVerificationStep })),
  test: () => import('./steps/TestItStep').then((m) => ({ default: m.TestItStep })),
};
