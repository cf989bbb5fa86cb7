/**
 * Messages of the setup wizard's forms, checked against the limits the API's DTOs use (one
 * source: libs/contracts `limits.ts`; the relation "lead < period" is `IntercomSettingsService`'s
 * check). Each returns the message to show, or null. The API is the authority: its per-field
 * messages replace these when it answers 400.
 */

import {
  MESSENGER_UPDATE_THROTTLE,
  SECRET_LIMITS,
  SETTINGS_LIMITS,
  TOKEN_REQUEST_LIMITS,
  type Platform,
} from '@messenger-vault/contracts';

export const { min: SECRET_MIN_LENGTH, max: SECRET_MAX_LENGTH } = SECRET_LIMITS.length;
export const TOKEN_TTL = SETTINGS_LIMITS.tokenTtlSeconds;
export const ROTATION_PERIOD_DAYS = SETTINGS_LIMITS.rotationPeriodDays;
export const REMINDER_LEAD_DAYS = SETTINGS_LIMITS.reminderLeadDays;
export const USER_ID_MAX_LENGTH = TOKEN_REQUEST_LIMITS.userIdMaxLength;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The Messenger API secret key: 16–512 printable ASCII characters, none of them blank, once trimmed. */
export function secretKeyError(value: string): string | null {
  const secret = value.trim();
  if (!secret) return 'Paste the Messenger API secret key from Intercom.';
  if (/\s/.test(secret)) {
    return 'The key has spaces, tabs or line breaks inside. Copy it again from Intercom in one piece.';
  }
  if (!/^[\x20-\x7e]*$/.test(secret)) {
    return 'The key may hold only printable ASCII characters (letters, digits and symbols). Copy it again from Intercom.';
  }
  if (secret.length < SECRET_MIN_LENGTH || secret.length > SECRET_MAX_LENGTH) {
    return `A secret key is ${SECRET_MIN_LENGTH} to ${SECRET_MAX_LENGTH} characters; this one has ${secret.length}. Paste the whole key.`;
  }
  return null;
}

export function secretPlatformsError(platforms: readonly Platform[]): string | null {
  return platforms.length === 0 ? 'Pick at least one platform this key serves.' : null;
}

/** A whole number in range; `value` is what a NumberInput holds (a number, or '' when empty). */
function wholeNumberError(
  value: number | string,
  { min, max }: { min: number; max: number },
  words: { empty: string; unit: string; tooLow: string; tooHigh: string },
): string | null {
  if (value === '' || value === null || value === undefined) return words.empty;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number)) return `Use a whole number of ${words.unit}.`;
  if (number < min) return words.tooLow;
  if (number > max) return words.tooHigh;
  return null;
}

export function tokenTtlError(value: number | string): string | null {
  return wholeNumberError(value, TOKEN_TTL, {
    empty: 'Enter how long a token lasts, in seconds.',
    unit: 'seconds',
    tooLow: `A token must last at least ${TOKEN_TTL.min} seconds (one minute).`,
    tooHigh: `A token may last at most ${TOKEN_TTL.max.toLocaleString('en')} seconds (one day); shorter is safer.`,
  });
}

/**
 * A warning, not an error (the API saves it): a valid lifetime too short for Intercom's web
 * Messenger `update` throttle, the same rule as the setup state's `ttl_under_update_throttle`.
 */
export function tokenTtlThrottleWarning(value: number | string): string | null {
  if (tokenTtlError(value) !== null) return null;
  const seconds = Number(value);
  const { updates, windowMinutes, clientRefreshes, minTokenTtlSeconds } = MESSENGER_UPDATE_THROTTLE;
  if (seconds >= minTokenTtlSeconds) return null;
  const pace = Math.ceil((windowMinutes * 60) / clientRefreshes);
  return `Intercom accepts about ${updates} web Messenger updates per ${windowMinutes} minutes, so the token client sends a fresh token at most every ${pace} seconds. A ${seconds}-second token expires before the next one arrives and the web Messenger fails in between: use at least ${minTokenTtlSeconds} seconds.`;
}

export function rotationPeriodError(value: number | string): string | null {
  return wholeNumberError(value, ROTATION_PERIOD_DAYS, {
    empty: 'Enter how often to rotate the key, in days.',
    unit: 'days',
    tooLow: `Rotate every ${ROTATION_PERIOD_DAYS.min} day or more.`,
    tooHigh: `Rotate at least once a year: at most ${ROTATION_PERIOD_DAYS.max} days.`,
  });
}

export function reminderLeadError(value: number | string, rotationPeriod: number | string): string | null {
  const own = wholeNumberError(value, REMINDER_LEAD_DAYS, {
    empty: 'Enter how many days ahead to remind you.',
    unit: 'days',
    tooLow: `Remind at least ${REMINDER_LEAD_DAYS.min} day ahead.`,
    tooHigh: `Remind at most ${REMINDER_LEAD_DAYS.max} days ahead.`,
  });
  if (own) return own;
  const period = Number(rotationPeriod);
  if (rotationPeriodError(rotationPeriod) === null && Number(value) >= period) {
    return `Reminders must start fewer days ahead than the rotation period (${period} days).`;
  }
  return null;
}

/** The `user_id` of a test token: your app's own id for a user, never an email address. */
export function testUserIdError(value: string): string | null {
  if (value === '' || value.trim() === '') return 'Enter a user id from your app, like 42.';
  if (value.length > USER_ID_MAX_LENGTH) return `A user id has at most ${USER_ID_MAX_LENGTH} characters.`;
  if (EMAIL_SHAPE.test(value)) {
    return "That is an email address. Intercom needs your app's own user id here; the email travels separately.";
  }
  return null;
}

/** "3600" → "1 hour"; "5400" → "1 hour 30 minutes": how a token lifetime reads to a person. */
export function describeSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = Math.round(seconds % 60);
  const parts = [
    hours && `${hours} ${hours === 1 ? 'hour' : 'hours'}`,
    minutes && `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`,
    rest && `${rest} ${rest === 1 ? 'second' : 'seconds'}`,
  ].filter(Boolean);
  return parts.join(' ');
}
