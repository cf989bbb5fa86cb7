import fc from 'fast-check';
import { SETTINGS_LIMITS } from './limits';
import {
  DAY_MS,
  ROTATION_STAGES,
  rotationDueAt,
  rotationStageAt,
  rotationStageForDue,
  rotationStagesStartAt,
} from './rotation';

const created = new Date('2025-01-01T10:00:00.000Z');
const policyArb = fc
  .record({
    rotationPeriodDays: fc.integer(SETTINGS_LIMITS.rotationPeriodDays),
    reminderLeadDays: fc.integer(SETTINGS_LIMITS.reminderLeadDays),
  })
  .filter((p) => p.reminderLeadDays < p.rotationPeriodDays);
const offsetArb = fc.integer({ min: -400 * DAY_MS, max: 800 * DAY_MS });

test('the due date is the creation date plus the period, for a Date or an ISO string', () => {
  expect(rotationDueAt(created, 90).toISOString()).toBe('2025-04-01T10:00:00.000Z');
  expect(rotationDueAt(created.toISOString(), 1).getTime()).toBe(created.getTime() + DAY_MS);
});

test('property: a version is in a stage exactly from rotationStagesStartAt on (the SQL filter)', () => {
  fc.assert(
    fc.property(policyArb, offsetArb, (policy, offset) => {
      const at = new Date(created.getTime() + offset);
      const inStage = rotationStageAt(created, policy, at) !== null;
      expect(inStage).toBe(rotationStagesStartAt(created, policy).getTime() <= at.getTime());
    }),
  );
});

test('property: the stage by creation date and by due date are the same answer', () => {
  fc.assert(
    fc.property(policyArb, offsetArb, (policy, offset) => {
      const at = new Date(created.getTime() + offset);
      expect(rotationStageAt(created, policy, at)).toEqual(
        rotationStageForDue(rotationDueAt(created, policy.rotationPeriodDays), policy.reminderLeadDays, at),
      );
    }),
  );
});

test('property: due_soon before the due date, due for one day from it, overdue after, weekly occurrences', () => {
  fc.assert(
    fc.property(policyArb, offsetArb, (policy, offset) => {
      const at = new Date(created.getTime() + offset);
      const due = rotationDueAt(created, policy.rotationPeriodDays).getTime();
      const s = rotationStageAt(created, policy, at);
      if (!s) return;
      const sinceDue = at.getTime() - due;
      expect(s.rotationDueAt.getTime()).toBe(due);
      expect(s.stage).toBe(sinceDue < 0 ? 'due_soon' : sinceDue < DAY_MS ? 'due' : 'overdue');
      expect(s.occurrence).toBe(s.stage === 'overdue' ? Math.floor(sinceDue / (7 * DAY_MS)) : 0);
    }),
  );
});

test('property: stages only move forward in time', () => {
  const rank = (s: { stage: (typeof ROTATION_STAGES)[number] } | null) => (s ? ROTATION_STAGES.indexOf(s.stage) : -1);
  fc.assert(
    fc.property(policyArb, offsetArb, fc.integer({ min: 0, max: 30 * DAY_MS }), (policy, offset, step) => {
      const first = rotationStageAt(created, policy, new Date(created.getTime() + offset));
      const later = rotationStageAt(created, policy, new Date(created.getTime() + offset + step));
      expect(rank(later)).toBeGreaterThanOrEqual(rank(first));
    }),
  );
});
