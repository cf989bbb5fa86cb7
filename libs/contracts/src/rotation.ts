/**
 * The rotation rule, the one place it is written: when a secret version is due, and which
 * stage it is in at a given time. The reminder job, its SQL pre-filter, the setup status, the
 * staff overview and the web's preview all call these (decision 0024).
 *
 *   created ... due - lead ──due_soon──▶ due ──due (1 day)──▶ overdue 0 ... due + 7 d: overdue 1 ...
 */

export const DAY_MS = 86_400_000;
/** "Due" lasts a day, so a job that runs hourly (or misses a few runs) still sees it. */
export const DUE_WINDOW_MS = DAY_MS;
/** An overdue version is reminded again every week. */
export const OVERDUE_REPEAT_MS = 7 * DAY_MS;

/** The stages a secret version passes through as its rotation date approaches and passes, in order. */
export const ROTATION_STAGES = ['due_soon', 'due', 'overdue'] as const;
export type RotationStage = (typeof ROTATION_STAGES)[number];

/** A tenant's policy; a tenant without an intercom_settings row has `SETTINGS_DEFAULTS`. */
export interface RotationPolicy {
  rotationPeriodDays: number;
  reminderLeadDays: number;
}

export interface RotationStageAt {
  stage: RotationStage;
  /** 0, except for `overdue`: whole weeks since the due date, so it repeats weekly. */
  occurrence: number;
  rotationDueAt: Date;
}

/** The policy in force now decides: changing it moves the due date of every live version. */
export function rotationDueAt(createdAt: Date | string, rotationPeriodDays: number): Date {
  return new Date(new Date(createdAt).getTime() + rotationPeriodDays * DAY_MS);
}

/** From when a version is in a stage at all (`due_soon`); the reminder job's SQL filter uses it. */
export function rotationStagesStartAt(createdAt: Date | string, policy: RotationPolicy): Date {
  return new Date(rotationDueAt(createdAt, policy.rotationPeriodDays).getTime() - policy.reminderLeadDays * DAY_MS);
}

/**
 * The stage a version due at `dueAt` is in at `at`, or null before the lead time. Computed from
 * `at` alone, never replayed: a version first seen three weeks overdue is `overdue` with
 * occurrence 3.
 */
export function rotationStageForDue(dueAt: Date, reminderLeadDays: number, at: Date): RotationStageAt | null {
  const sinceDue = at.getTime() - dueAt.getTime();
  if (sinceDue < -reminderLeadDays * DAY_MS) return null;
  if (sinceDue < 0) return { stage: 'due_soon', occurrence: 0, rotationDueAt: dueAt };
  if (sinceDue < DUE_WINDOW_MS) return { stage: 'due', occurrence: 0, rotationDueAt: dueAt };
  return { stage: 'overdue', occurrence: Math.floor(sinceDue / OVERDUE_REPEAT_MS), rotationDueAt: dueAt };
}

/** The stage of a version created at `createdAt` under `policy` at `at`, or null before the lead time. */
export function rotationStageAt(createdAt: Date | string, policy: RotationPolicy, at: Date): RotationStageAt | null {
  return rotationStageForDue(rotationDueAt(createdAt, policy.rotationPeriodDays), policy.reminderLeadDays, at);
}
