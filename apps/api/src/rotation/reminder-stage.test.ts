import fc from 'fast-check';
import { DEFAULT_ROTATION_POLICY, reminderAt, REMINDER_STAGES, type RotationPolicy } from './reminder-stage';

const DAY = 86_400_000;
const created = new Date('2025-01-01T10:00:00.000Z');
const due = new Date(created.getTime() + 90 * DAY);
const at = (msFromDue: number) => new Date(due.getTime() + msFromDue);

test('nothing is owed before the lead time', () => {
  expect(reminderAt(created, DEFAULT_ROTATION_POLICY, created)).toBeNull();
  expect(reminderAt(created, DEFAULT_ROTATION_POLICY, at(-14 * DAY - 1))).toBeNull();
});

test('due soon from rotationDueAt - reminderLeadDays until the due date', () => {
  for (const t of [at(-14 * DAY), at(-1 * DAY), at(-1)]) {
    expect(reminderAt(created, DEFAULT_ROTATION_POLICY, t)).toEqual({
      stage: 'due_soon',
      occurrence: 0,
      rotationDueAt: due,
    });
  }
});

test('due on the due date, for one day', () => {
  expect(reminderAt(created, DEFAULT_ROTATION_POLICY, at(0))).toEqual({
    stage: 'due',
    occurrence: 0,
    rotationDueAt: due,
  });
  expect(reminderAt(created, DEFAULT_ROTATION_POLICY, at(DAY - 1))?.stage).toBe('due');
});

test('overdue after the due day, again every 7 days', () => {
  expect(reminderAt(created, DEFAULT_ROTATION_POLICY, at(DAY))).toEqual({
    stage: 'overdue',
    occurrence: 0,
    rotationDueAt: due,
  });
  expect(reminderAt(created, DEFAULT_ROTATION_POLICY, at(7 * DAY - 1))?.occurrence).toBe(0);
  expect(reminderAt(created, DEFAULT_ROTATION_POLICY, at(7 * DAY))?.occurrence).toBe(1);
  expect(reminderAt(created, DEFAULT_ROTATION_POLICY, at(15 * DAY))?.occurrence).toBe(2);
});

test('a version first seen long overdue is owed one overdue reminder, not a back-fill', () => {
  expect(reminderAt(created, DEFAULT_ROTATION_POLICY, at(100 * DAY))).toEqual({
    stage: 'overdue',
    occurrence: 14,
    rotationDueAt: due,
  });
});

test('the policy in force moves the due date', () => {
  const policy: RotationPolicy = { rotationPeriodDays: 30, reminderLeadDays: 7 };
  const due30 = new Date(created.getTime() + 30 * DAY);
  expect(reminderAt(created, policy, new Date(due30.getTime() - 8 * DAY))).toBeNull();
  expect(reminderAt(created, policy, new Date(due30.getTime() - 7 * DAY))).toEqual({
    stage: 'due_soon',
    occurrence: 0,
    rotationDueAt: due30,
  });
});

test('property: stages only move forward in time, and occurrence never falls', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 365 }),
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: -400 * DAY, max: 400 * DAY }),
      fc.integer({ min: 0, max: 30 * DAY }),
      (period, leadRaw, offset, step) => {
        const policy = { rotationPeriodDays: period, reminderLeadDays: Math.min(leadRaw, period - 1) };
        const first = reminderAt(created, policy, new Date(created.getTime() + offset));
        const later = reminderAt(created, policy, new Date(created.getTime() + offset + step));
        if (!first) return;
        expect(later).not.toBeNull();
        const rank = (s: (typeof REMINDER_STAGES)[number]) => REMINDER_STAGES.indexOf(s);
        expect(rank(later!.stage)).toBeGreaterThanOrEqual(rank(first.stage));
        if (later!.stage === first.stage) expect(later!.occurrence).toBeGreaterThanOrEqual(first.occurrence);
      },
    ),
  );
});
