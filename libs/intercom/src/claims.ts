import { looksLikeEmail } from './email';
import { IntercomError } from './errors';

export type ClaimsErrorCode =
  | 'user_id_missing'
  | 'user_id_not_string'
  | 'user_id_whitespace'
  | 'user_id_looks_like_email'
  | 'email_invalid'
  | 'name_invalid'
  | 'attribute_name_invalid'
  | 'attribute_reserved'
  | 'attribute_value_invalid'
  | 'ttl_invalid'
  | 'now_invalid';

export class ClaimsError extends IntercomError<ClaimsErrorCode> {
  override readonly name = 'ClaimsError';
}

/** What Intercom accepts as a user data attribute value (null clears the attribute). */
export type AttributeValue = string | number | boolean | null;

export interface MessengerUser {
  /** Your app's stable id for the user; Intercom requires it in every Messenger JWT. */
  userId: string;
  email?: string;
  name?: string;
  /** Further identity attributes to sign, e.g. `{ plan: 'pro', company_id: '42' }`. */
  attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface ClaimsTiming {
  now: Date;
  ttlSeconds: number;
}

/** The payload of an Intercom Messenger JWT. `iat` and `exp` are Unix seconds. */
export interface MessengerClaims {
  user_id: string;
  email?: string;
  name?: string;
  iat: number;
  exp: number;
  [attribute: string]: AttributeValue | undefined;
}

// Names the token already sets, or registered JWT claims an attribute must not overwrite.
const RESERVED_NAMES = new Set([
  'user_id',
  'email',
  'name',
  'iat',
  'exp',
  'nbf',
  'iss',
  'sub',
  'aud',
  'jti',
  '__proto__',
]);

/**
 * Claims may come from somewhere other than buildMessengerClaims; a token without these would be
 * refused by Intercom only later, in the user's browser. Both signers check them.
 */
export function assertSignableClaims(claims: MessengerClaims): void {
  if (typeof claims?.user_id !== 'string' || claims.user_id === '') {
    throw new ClaimsError(
      'user_id_missing',
      'The claims have no user_id string. Build them with buildMessengerClaims.',
    );
  }
  if (!Number.isSafeInteger(claims.exp) || !Number.isSafeInteger(claims.iat)) {
    throw new ClaimsError(
      'ttl_invalid',
      'The claims need iat and exp as whole Unix seconds. Build them with buildMessengerClaims.',
    );
  }
}

export interface ClaimsOptions {
  /**
   * Sign a user_id that looks like an email address. Off by default: emails change and are
   * personal data shown in the Messenger; only for workspaces that already identify users so.
   */
  allowEmailUserId?: boolean;
}

export function buildMessengerClaims(
  user: MessengerUser,
  timing: ClaimsTiming,
  options: ClaimsOptions = {},
): MessengerClaims {
  const userId = checkUserId(user.userId, options.allowEmailUserId === true);
  const iat = issuedAt(timing.now);
  const ttl = checkTtl(timing.ttlSeconds);

  // Built in place, in the order the token shows them (no spread: this runs on every token).
  const claims: Record<string, AttributeValue> = { user_id: userId };
  if (user.email !== undefined) claims.email = checkEmail(user.email);
  if (user.name !== undefined) claims.name = checkName(user.name);
  if (user.attributes != null) {
    for (const [attribute, value] of Object.entries(user.attributes)) {
      claims[checkAttributeName(attribute)] = checkAttributeValue(attribute, value);
    }
  }
  // Attributes cannot be named iat or exp (RESERVED_NAMES), so these come last and are not overwritten.
  claims.iat = iat;
  claims.exp = iat + ttl;
  // Every value above was checked against MessengerClaims' field types one by one.
  return claims as MessengerClaims;
}

function checkUserId(userId: unknown, allowEmail: boolean): string {
  if (userId === undefined || userId === null || userId === '') {
    throw new ClaimsError(
      'user_id_missing',
      "userId is required: pass your app's stable id for the signed-in user (for example its database id).",
    );
  }
  if (typeof userId !== 'string') {
    throw new ClaimsError(
      'user_id_not_string',
      `userId must be a string, but a ${describeType(userId)} was given. ` +
        'Send it as a string (123 becomes "123"); large numeric ids lose digits as numbers.',
    );
  }
  if (userId.trim() !== userId || userId.trim() === '') {
    throw new ClaimsError(
      'user_id_whitespace',
      'userId starts or ends with whitespace, which would make Intercom treat it as a different user. ' +
        'Trim it before requesting a token.',
    );
  }
  if (!allowEmail && looksLikeEmail(userId)) {
    throw new ClaimsError(
      'user_id_looks_like_email',
      "userId looks like an email address. Use your app's own stable user id as userId " +
        '(emails change and can be shared), and pass the address as email instead.',
    );
  }
  return userId;
}

function issuedAt(now: unknown): number {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new ClaimsError('now_invalid', 'now must be a valid Date: pass the current time from your clock.');
  }
  return Math.floor(now.getTime() / 1000);
}

function checkTtl(ttlSeconds: unknown): number {
  if (typeof ttlSeconds !== 'number' || !Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new ClaimsError(
      'ttl_invalid',
      "ttlSeconds must be a whole number of seconds above 0; match it to your app's session length (3600 is one hour).",
    );
  }
  return ttlSeconds;
}

function checkEmail(email: unknown): string {
  if (typeof email !== 'string' || !looksLikeEmail(email) || email.trim() !== email) {
    throw new ClaimsError(
      'email_invalid',
      "email is not an email address like jane@example.com. Pass the user's address, or leave email out.",
    );
  }
  return email;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new ClaimsError(
      'name_invalid',
      "name must be a non-empty string: pass the user's display name, or leave it out.",
    );
  }
  return name;
}

function checkAttributeName(attribute: string): string {
  if (attribute.trim() === '') {
    throw new ClaimsError(
      'attribute_name_invalid',
      'An attribute has an empty name. Give every attribute a name, or remove it.',
    );
  }
  if (RESERVED_NAMES.has(attribute)) {
    throw new ClaimsError(
      'attribute_reserved',
      `The attribute "${attribute}" is set by the token itself. Pass user_id, email and name as userId, email and name, ` +
        'and leave the timestamps to the token lifetime; rename any other attribute.',
    );
  }
  return attribute;
}

function checkAttributeValue(attribute: string, value: unknown): AttributeValue {
  const usable =
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value));
  if (!usable) {
    throw new ClaimsError(
      'attribute_value_invalid',
      `The attribute "${attribute.slice(0, 60)}" is a ${describeType(value)}; attributes must be a string, a finite number, ` +
        'true/false or null. Convert it (dates as Unix seconds), or leave it out.',
    );
  }
  return value as AttributeValue;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'non-finite number';
  return typeof value;
}
