import { REMINDER_STAGES, type ReminderStage } from './reminder-stage';

/** What an automated rotation (intercom-rotation/) tells through the same channels as the reminders. */
export const ROTATION_EVENTS = ['rotation_started', 'rotated', 'rotation_failed'] as const;
export type RotationEvent = (typeof ROTATION_EVENTS)[number];
export const NOTIFICATION_KINDS = [...REMINDER_STAGES, ...ROTATION_EVENTS] as const;
export type NotificationKind = ReminderStage | RotationEvent;

/** An automated rotation's facts, for its events. */
export interface RotationFacts {
  id: string;
  newVersions: number[];
  reason: string | null;
  /** Old versions whose Intercom secret nobody linked: a person deletes it in Intercom. */
  removeByHand: number[];
}

/** What a stored notification says, in the app, in an email and in a webhook event. */
export interface ReminderFacts {
  stage: NotificationKind;
  occurrence: number;
  secretVersion: number;
  rotationDueAt: Date;
  /** The tenant lets the reminder job rotate due versions itself. */
  autoRotate?: boolean;
  rotation?: RotationFacts | null;
}

/** The `type` of a webhook event, per stage. */
export const WEBHOOK_EVENT_TYPES: Record<NotificationKind, string> = {
  due_soon: 'secret.rotation_due_soon',
  due: 'secret.rotation_due',
  overdue: 'secret.rotation_overdue',
  rotation_started: 'secret.rotation_started',
  rotated: 'secret.rotated',
  rotation_failed: 'secret.rotation_failed',
};

const AUTO_ROTATES = 'Automatic rotation is on:';

const day = (d: Date) => d.toISOString().slice(0, 10);

const HOW_TO_ROTATE =
  'Create a new Messenger API secret key in your Intercom security settings, save it in step 2 of the ' +
  'Intercom setup for every platform the old key serves, roll it out, then retire version';

/** Title and message: plain facts and the next step. Never a secret, a fingerprint or a link with a token. */
export function describeReminder(r: ReminderFacts): { title: string; message: string } {
  const v = r.secretVersion;
  const due = day(r.rotationDueAt);
  const list = (versions: number[]) => versions.join(', ');
  switch (r.stage) {
    case 'due_soon':
      if (r.autoRotate) {
        return {
          title: `Messenger secret version ${v} will be rotated automatically on ${due}`,
          message:
            `${AUTO_ROTATES} on ${due} Messenger Vault creates a new secret in Intercom, signs with it, waits for ` +
            `tokens signed with version ${v} to expire, then deletes the old secret. Nothing to do.`,
        };
      }
      return {
        title: `Messenger secret version ${v} is due for rotation on ${due}`,
        message: `Your rotation policy asks for a new key by ${due}. ${HOW_TO_ROTATE} ${v}.`,
      };
    case 'due':
      if (r.autoRotate) {
        return {
          title: `Messenger secret version ${v} is due: automatic rotation starts today`,
          message: `${AUTO_ROTATES} version ${v} reached its rotation date (${due}); the reminder job starts its rotation now. Nothing to do.`,
        };
      }
      return {
        title: `Messenger secret version ${v} is due for rotation today`,
        message: `Version ${v} reached its rotation date (${due}). ${HOW_TO_ROTATE} ${v}.`,
      };
    case 'overdue': {
      const weeks = r.occurrence === 0 ? '' : ` (${r.occurrence} week${r.occurrence === 1 ? '' : 's'} and counting)`;
      return {
        title: `Messenger secret version ${v} is overdue for rotation`,
        message:
          `Version ${v} was due for rotation on ${due}${weeks} and still signs tokens. ${HOW_TO_ROTATE} ${v}. ` +
          'This reminder repeats every week until then.',
      };
    }
    case 'rotation_started':
      return {
        title: `Rotation of Messenger secret version ${v} started`,
        message:
          'Messenger Vault is creating a new secret in Intercom. Once it is stored, it signs every new token while ' +
          `version ${v} keeps verifying until tokens signed with it have expired.`,
      };
    case 'rotated': {
      const byHand = r.rotation?.removeByHand ?? [];
      return {
        title: `Messenger secret version ${v} was rotated`,
        message:
          `Version ${list(r.rotation?.newVersions ?? [])} now signs every token; version ${v} was retired.` +
          (byHand.length
            ? ` No Intercom secret was linked to version ${list(byHand)}: delete the old secret in Intercom's ` +
              'Messenger security settings by hand.'
            : ' The old secret was deleted in Intercom.'),
      };
    }
    case 'rotation_failed':
      return {
        title: `Rotation of Messenger secret version ${v} failed`,
        message: r.rotation?.reason ?? 'The rotation stopped; start it again from the Intercom page.',
      };
    default: {
      const unknown: never = r.stage;
      return unknown;
    }
  }
}
