import { PlatformEvidence, SetupFacts, setupStatus } from './setup-status';

const off: PlatformEvidence = { securityEnabled: false, enabledAt: null, lastTokenAt: null, tokensLast24h: 0 };
const on = (tokens: number): PlatformEvidence => ({
  securityEnabled: true,
  enabledAt: '2026-01-01T00:00:00.000Z',
  lastTokenAt: tokens ? '2026-01-02T00:00:00.000Z' : null,
  tokensLast24h: tokens,
});
const now = new Date('2026-06-01T12:00:00Z');
const empty: SetupFacts = {
  appId: null,
  identityMode: 'jwt',
  reminderLeadDays: 14,
  settingsSavedAt: null,
  identityModeSetAt: null,
  identityModeUsedAt: null,
  rotationDueAt: null,
  platforms: { web: off, ios: off, android: off },
};
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

test('an empty tenant has no step done and says what is missing', () => {
  const { steps, problems } = setupStatus(empty, now);
  expect(steps.map((s) => [s.id, s.done])).toEqual([
    [1, false],
    [2, false],
    [3, false],
    [4, false],
    [5, false],
  ]);
  expect(problems.map((p) => p.code)).toEqual([
    'no_app_id',
    'no_secret',
    'platform_off',
    'platform_off',
    'platform_off',
  ]);
});

test('each step turns done on its own fact; step 5 needs the mode chosen and used', () => {
  const facts: SetupFacts = {
    ...empty,
    appId: 'xyz123',
    rotationDueAt: days(80),
    platforms: { web: on(3), ios: off, android: off },
    settingsSavedAt: now,
    identityModeSetAt: now,
  };
  expect(setupStatus(facts, now).steps.map((s) => s.done)).toEqual([true, true, true, true, false]);
  expect(setupStatus({ ...facts, identityModeUsedAt: now }, now).steps.every((s) => s.done)).toBe(true);
});

test('rotation is due soon inside the lead time and overdue after the due date', () => {
  const base = { ...empty, appId: 'a', platforms: { web: on(1), ios: on(1), android: on(1) } };
  expect(setupStatus({ ...base, rotationDueAt: days(20) }, now).problems).toEqual([]);
  expect(setupStatus({ ...base, rotationDueAt: days(10) }, now).problems.map((p) => p.code)).toEqual([
    'rotation_due_soon',
  ]);
  const overdue = setupStatus({ ...base, rotationDueAt: days(-3) }, now).problems;
  expect(overdue.map((p) => p.code)).toEqual(['rotation_overdue']);
  expect(overdue[0]!.message).toMatch(/3 day/);
});

test('a platform that is on but silent, and legacy HMAC, are flagged', () => {
  const facts: SetupFacts = {
    ...empty,
    appId: 'a',
    rotationDueAt: days(60),
    identityMode: 'hmac',
    platforms: { web: on(5), ios: on(0), android: off },
  };
  const problems = setupStatus(facts, now).problems;
  expect(problems.map((p) => [p.code, p.platform])).toEqual([
    ['platform_no_traffic', 'ios'],
    ['platform_off', 'android'],
    ['legacy_hmac', undefined],
  ]);
});

describe("token lifetimes against Intercom's web Messenger update throttle", () => {
  const ready = {
    ...empty,
    appId: 'a',
    rotationDueAt: days(80),
    platforms: { web: on(1), ios: on(1), android: on(1) },
  };
  const codes = (facts: SetupFacts) => setupStatus(facts, now).problems.map((p) => p.code);

  test('a lifetime under 120 s is a warning that says why and what to set', () => {
    const [problem, ...rest] = setupStatus({ ...ready, tokenTtlSeconds: 60 }, now).problems;
    expect(rest).toEqual([]);
    expect(problem).toEqual({
      code: 'ttl_under_update_throttle',
      severity: 'warning',
      message: expect.stringMatching(
        /^Tokens live 60 seconds, .*about 20 web Messenger updates per 30 minutes.*at most every 100 seconds.*at least 120 seconds in step 4/,
      ),
    });
    expect(codes({ ...ready, tokenTtlSeconds: 119 })).toEqual(['ttl_under_update_throttle']);
  });

  test('120 s and longer, the default (not saved yet) and HMAC mode (no refreshes) pass', () => {
    expect(codes({ ...ready, tokenTtlSeconds: 120 })).toEqual([]);
    expect(codes({ ...ready, tokenTtlSeconds: 86_400 })).toEqual([]);
    expect(codes(ready)).toEqual([]);
    expect(codes({ ...ready, identityMode: 'hmac', tokenTtlSeconds: 60 })).toEqual(['legacy_hmac']);
  });
});

test('with declared platforms, step 3 needs each of them on, and undeclared ones raise no warning', () => {
  const facts: SetupFacts = {
    ...empty,
    appId: 'a',
    rotationDueAt: days(60),
    declaredPlatforms: ['web', 'android'],
    platforms: { web: on(5), ios: off, android: off },
  };
  const before = setupStatus(facts, now);
  expect(before.steps[2]!.done).toBe(false);
  expect(before.problems.map((p) => [p.code, p.platform])).toEqual([['platform_off', 'android']]);
  const after = setupStatus({ ...facts, platforms: { web: on(5), ios: off, android: on(2) } }, now);
  expect(after.steps[2]!.done).toBe(true);
  expect(after.problems).toEqual([]);
});
