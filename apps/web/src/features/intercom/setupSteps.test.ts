import type { SetupStep } from '@messenger-vault/contracts';
import { SETUP_STEPS, TEST_IT_SLUG, doneSteps, nextSlug, stepBySlug } from './setupSteps';

const server = (done: boolean[]): SetupStep[] =>
  SETUP_STEPS.map((step, index) => ({ id: step.number, key: step.key, title: step.title, done: done[index]! }));

describe('the wizard takes "done" from the server, step by step', () => {
  test('continue goes to the first step not done, wherever it is', () => {
    expect(nextSlug(doneSteps(server([false, false, false, false, false])))).toBe('app-id');
    expect(nextSlug(doneSteps(server([true, true, false, true, false])))).toBe('messenger-security');
    expect(nextSlug(doneSteps(server([true, true, true, true, false])))).toBe('identity-verification');
  });

  test('with all five done, continue goes to the test page', () => {
    expect(nextSlug(doneSteps(server([true, true, true, true, true])))).toBe(TEST_IT_SLUG);
  });

  test('a step the server does not mention counts as not done', () => {
    expect(doneSteps(undefined)).toEqual({
      app_id: false,
      secret_key: false,
      messenger_security: false,
      best_practices: false,
      identity_verification: false,
    });
  });

  test('every step has its own address', () => {
    for (const step of SETUP_STEPS) expect(stepBySlug(step.slug)).toBe(step);
    expect(stepBySlug('nope')).toBeUndefined();
  });
});
