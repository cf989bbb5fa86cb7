import fc from 'fast-check';
import { DAY_MS, SETTINGS_LIMITS, rotationDueAt } from '@messenger-vault/contracts';
import { reminderAt } from '../rotation/reminder-stage';
import { setupStatus, type SetupFacts } from './setup-status';

// The setup status (wizard, staff overview) and the reminder job read one rule: whatever
// reminder a version is owed, the status shows the matching problem (decision 0024).
const on = { securityEnabled: true, enabledAt: null, lastTokenAt: null, tokensLast24h: 1 };
const created = new Date('2025-03-01T08:30:00.000Z');

test('property: the setup status and the reminder stage agree at every time', () => {
  fc.assert(
    fc.property(
      fc.integer(SETTINGS_LIMITS.rotationPeriodDays),
      fc.integer(SETTINGS_LIMITS.reminderLeadDays),
      fc.integer({ min: -10 * DAY_MS, max: 500 * DAY_MS }),
      (rotationPeriodDays, leadRaw, offset) => {
        const reminderLeadDays = Math.min(leadRaw, rotationPeriodDays - 1) || 1;
        const at = new Date(created.getTime() + offset);
        const facts: SetupFacts = {
          appId: 'abc123',
          identityMode: 'jwt',
          reminderLeadDays,
          settingsSavedAt: null,
          identityModeSetAt: null,
          identityModeUsedAt: null,
          rotationDueAt: rotationDueAt(created, rotationPeriodDays),
          platforms: { web: on, ios: on, android: on },
        };
        const codes = setupStatus(facts, at).problems.map((p) => p.code);
        const stage = reminderAt(created, { rotationPeriodDays, reminderLeadDays }, at)?.stage ?? null;
        const expected = { due_soon: ['rotation_due_soon'], due: ['rotation_overdue'], overdue: ['rotation_overdue'] };
        expect(codes).toEqual(stage ? expected[stage] : []);
      },
    ),
  );
});

test('on the due day the status says "due today", not "0 day(s) ago"', () => {
  const due = rotationDueAt(created, 90);
  const facts: SetupFacts = {
    appId: 'abc123',
    identityMode: 'jwt',
    reminderLeadDays: 14,
    settingsSavedAt: null,
    identityModeSetAt: null,
    identityModeUsedAt: null,
    rotationDueAt: due,
    platforms: { web: on, ios: on, android: on },
  };
  const [problem] = setupStatus(facts, new Date(due.getTime() + 3_600_000)).problems;
  expect(problem).toMatchObject({ code: 'rotation_overdue', severity: 'error' });
  expect(problem!.message).toMatch(/due for rotation today/);
  expect(setupStatus(facts, new Date(due.getTime() + 2 * DAY_MS)).problems[0]!.message).toMatch(/2 day\(s\) ago/);
});
