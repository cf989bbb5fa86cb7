import type { ReminderStage } from './reminder-stage';

/** What a stored notification says, in the app, in an email and in a webhook event. */
export interface ReminderFacts {
  stage: ReminderStage;
  occurrence: number;
  secretVersion: number;
  rotationDueAt: Date;
}

/** The `type` of a webhook event, per stage. */
export const WEBHOOK_EVENT_TYPES: Record<ReminderStage, string> = {
  due_soon: 'secret.rotation_due_soon',
  due: 'secret.rotation_due',
  overdue: 'secret.rotation_overdue',
};

const day = (d: Date) => d.toISOString().slice(0, 10);

const HOW_TO_ROTATE =
  'Create a new Messenger API secret key in your Intercom security settings, save it in step 2 of the ' +
  'Intercom setup for every platform the old key serves, roll it out, then retire version';

/** Title and message: plain facts and the next step. Never a secret, a fingerprint or a link with a token. */
export function describeReminder(r: ReminderFacts): { title: string; message: string } {
  const v = r.secretVersion;
  const due = day(r.rotationDueAt);
  switch (r.stage) {
    case 'due_soon':
      return {
        title: `Messenger secret version ${v} is due for rotation on ${due}`,
        message: `Your rotation policy asks for a new key by ${due}. ${HOW_TO_ROTATE} ${v}.`,
      };
    case 'due':
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
    default: {
      const unknown: never = r.stage;
      return unknown;
    }
  }
}
