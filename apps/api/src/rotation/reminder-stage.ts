import { DEFAULT_ROTATION_PERIOD_DAYS, rotationDueAt } from '../vault/rotation-due';

/** The reminders a secret version gets as its rotation date approaches and passes, in order. */
export const REMINDER_STAGES = ['due_soon', 'due', 'overdue'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];

/** A tenant's policy; a tenant without an intercom_settings row has the column defaults. */
export interface RotationPolicy {
  rotationPeriodDays: number;
  reminderLeadDays: number;
}

export const DEFAULT_REMINDER_LEAD_DAYS = 14;
export const DEFAULT_ROTATION_POLICY: RotationPolicy = {
  rotationPeriodDays: DEFAULT_ROTATION_PERIOD_DAYS,
  reminderLeadDays: DEFAULT_REMINDER_LEAD_DAYS,
};

const DAY_MS = 86_400_000;
/** "Due" lasts a day, so a job that runs hourly (or misses a few runs) still sees it. */
export const DUE_WINDOW_MS = DAY_MS;
export const OVERDUE_REPEAT_MS = 7 * DAY_MS;

/** The one reminder a version is owed at a given time: (stage, occurrence) is its identity. */
export interface DueReminder {
  stage: ReminderStage;
  /** 0, except for `overdue`: whole weeks since the due date, so it repeats weekly. */
  occurrence: number;
  rotationDueAt: Date;
}

/**
 * The reminder an active version created at `createdAt` is owed at `at`, or null before the
 * lead time. Computed from `at` alone, never replayed: a version first seen three weeks overdue
 * is owed one `overdue` reminder (occurrence 3), not the `due_soon` and `due` it missed.
 *
 *   created ... due - lead ──due_soon──▶ due ──due (1 day)──▶ overdue 0 ... due + 7 d: overdue 1 ...
 */
export function reminderAt(createdAt: Date, policy: RotationPolicy, at: Date): DueReminder | null {
  const dueAt = new Date(rotationDueAt(createdAt, policy.rotationPeriodDays));
  const sinceDue = at.getTime() - dueAt.getTime();
  if (sinceDue < -policy.reminderLeadDays * DAY_MS) return null;
  if (sinceDue < 0) return { stage: 'due_soon', occurrence: 0, rotationDueAt: dueAt };
  if (sinceDue < DUE_WINDOW_MS) return { stage: 'due', occurrence: 0, rotationDueAt: dueAt };
  return { stage: 'overdue', occurrence: Math.floor(sinceDue / OVERDUE_REPEAT_MS), rotationDueAt: dueAt };
}
