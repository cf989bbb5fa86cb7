import {
  ROTATION_STAGES,
  SETTINGS_DEFAULTS,
  rotationStageAt,
  type RotationPolicy,
  type RotationStage,
  type RotationStageAt,
} from '@messenger-vault/contracts';

export type { RotationPolicy };

/** The reminders a secret version gets: one per rotation stage (libs/contracts `rotation.ts`). */
export const REMINDER_STAGES = ROTATION_STAGES;
export type ReminderStage = RotationStage;

export const DEFAULT_ROTATION_POLICY: RotationPolicy = {
  rotationPeriodDays: SETTINGS_DEFAULTS.rotationPeriodDays,
  reminderLeadDays: SETTINGS_DEFAULTS.reminderLeadDays,
};

/** The one reminder a version is owed at a given time: (stage, occurrence) is its identity. */
export type DueReminder = RotationStageAt;

/**
 * The reminder an active version created at `createdAt` is owed at `at`, or null before the
 * lead time: the version's rotation stage at `at`, never a back-fill of stages it skipped.
 */
export function reminderAt(createdAt: Date, policy: RotationPolicy, at: Date): DueReminder | null {
  return rotationStageAt(createdAt, policy, at);
}
