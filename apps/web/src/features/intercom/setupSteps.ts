import type { SetupStep as ServerStep, StepKey } from '@messenger-vault/contracts';

/**
 * The five steps of connecting a tenant's Intercom workspace, in order, as the wizard shows them.
 * `key` is the API's step key (whether a step is done comes from `GET …/intercom`'s `steps`);
 * `slug` is its address, `/tenants/:tenantId/setup/<slug>`.
 */
export interface WizardStep {
  number: 1 | 2 | 3 | 4 | 5;
  key: StepKey;
  slug: string;
  title: string;
  /** One line on why the step matters, in our own words. */
  why: string;
}

export const SETUP_STEPS: readonly WizardStep[] = [
  {
    number: 1,
    key: 'app_id',
    slug: 'app-id',
    title: 'APP_ID',
    why: 'Points Messenger Vault at the Intercom workspace that hosts your app’s chat.',
  },
  {
    number: 2,
    key: 'secret_key',
    slug: 'secret-key',
    title: 'Secret key',
    why: 'Signs your users’ identity tokens; it is stored encrypted and never displayed again.',
  },
  {
    number: 3,
    key: 'messenger_security',
    slug: 'messenger-security',
    title: 'Messenger Security',
    why: 'Makes Intercom reject unsigned visitors on web, iOS and Android, so nobody can pose as a user.',
  },
  {
    number: 4,
    key: 'best_practices',
    slug: 'best-practices',
    title: 'Best practices',
    why: 'Short token lifetimes and regular key rotation limit what a leak can do.',
  },
  {
    number: 5,
    key: 'identity_verification',
    slug: 'identity-verification',
    title: 'Identity verification',
    why: 'Choose signed JWTs (recommended) or legacy HMAC hashes for your apps to send.',
  },
];

/** The page after the five steps: issue a test token and check it in the debugger. */
export const TEST_IT_SLUG = 'test';

export function stepBySlug(slug: string | undefined): WizardStep | undefined {
  return SETUP_STEPS.find((step) => step.slug === slug);
}

/** Whether the server counts each step as done; a step it doesn't mention is not done. */
export function doneSteps(serverSteps: readonly ServerStep[] | undefined): Record<StepKey, boolean> {
  const done = Object.fromEntries(SETUP_STEPS.map((step) => [step.key, false])) as Record<StepKey, boolean>;
  for (const step of serverSteps ?? []) if (step.key in done) done[step.key] = step.done;
  return done;
}

/** Where "Continue setup" goes: the first step not done yet, or the test page when all are. */
export function nextSlug(done: Record<StepKey, boolean>): string {
  return SETUP_STEPS.find((step) => !done[step.key])?.slug ?? TEST_IT_SLUG;
}
