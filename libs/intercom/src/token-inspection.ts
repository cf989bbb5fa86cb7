import { timingSafeEqual, webcrypto } from 'node:crypto';

import { describeDuration, describeInstant } from './duration';
import { looksLikeEmail } from './email';
import { IntercomError } from './errors';
import { assertHmacSha256Key, importHmacKey, type HmacKey } from './hmac-key';
import { decodeJwt, type JsonObject } from './jwt-parts';

export type TokenProblemCode =
  | 'malformed'
  | 'alg_not_hs256'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'claim_not_numeric'
  | 'user_id_missing'
  | 'user_id_not_string'
  | 'user_id_looks_like_email';

export interface TokenProblem {
  code: TokenProblemCode;
  message: string;
}

/** Things Intercom accepts but this workspace should not ship: they never make a token invalid. */
export type TokenWarningCode = 'missing_exp' | 'lifetime_exceeds_policy' | 'user_id_is_email' | 'attributes_nested';

export interface TokenWarning {
  code: TokenWarningCode;
  message: string;
}

export interface TokenInspection {
  /** True only when `problems` is empty: whether Intercom would accept the token. Warnings do not count. */
  valid: boolean;
  /** Decoded even when the signature is wrong, so the person can see what the token says. */
  header: JsonObject | null;
  payload: JsonObject | null;
  /** Every problem found, at most one per code. */
  problems: TokenProblem[];
  /** Every warning, at most one per code. */
  warnings: TokenWarning[];
}

export interface InspectionPolicy {
  maxTtlSeconds: number;
  /** How far a signing server's clock may run ahead before iat/nbf count as in the future. */
  clockSkewSeconds?: number;
  /** The workspace opted in to user ids that are email addresses: one is a warning, not a problem. */
  allowEmailUserId?: boolean;
}

export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

export type InspectionErrorCode = 'policy_invalid' | 'now_invalid';

export class InspectionError extends IntercomError<InspectionErrorCode> {
  override readonly name = 'InspectionError';
}

// Beyond this a "Unix seconds" value is really milliseconds (it would be after the year 5138).
const MILLISECONDS_SUSPECT = 100_000_000_000;

/**
 * Explains everything wrong with a Messenger JWT pasted into the token debugger. Never throws
 * for a bad token (only for bad arguments), and never quotes the secret.
 */
export async function inspectToken(
  token: string,
  secret: string | HmacKey,
  policy: InspectionPolicy,
  now: Date,
): Promise<TokenInspection> {
  const key = typeof secret === 'string' ? await importHmacKey(secret) : secret;
  assertHmacSha256Key(key);
  const { maxTtlSeconds, skew } = checkPolicy(policy);
  const nowSeconds = checkNow(now);

  const decoded = decodeJwt(typeof token === 'string' ? token.trim() : token);
  const problems: TokenProblem[] = [];
  const warnings: TokenWarning[] = [];
  if (decoded.issues.length > 0) {
    problems.push({
      code: 'malformed',
      message:
        `This is not a well-formed JWT: ${decoded.issues.join('; ')}. ` +
        'Copy the whole token again, without quotes, spaces or line breaks.',
    });
  }

  if (decoded.header !== null) {
    const algProblem = checkAlg(decoded.header);
    if (algProblem !== null) problems.push(algProblem);
    else if (decoded.signed !== null && !(await signatureMatches(decoded.signed, key))) {
      problems.push({
        code: 'bad_signature',
        message:
          'The signature does not match the Secret Key stored for this workspace, so Intercom would reject the token. ' +
          "Double-check that you sign with the correct Secret Key from your Intercom workspace's Messenger Security " +
          'settings; if the key was rotated, sign with the current key and save it here too.',
      });
    }
  }

  if (decoded.payload !== null) {
    const times = checkTimes(decoded.payload, nowSeconds, maxTtlSeconds, skew);
    problems.push(...times.problems);
    warnings.push(...times.warnings);
    const userIdProblem = checkUserId(decoded.payload);
    if (userIdProblem?.code === 'user_id_looks_like_email' && policy.allowEmailUserId === true) {
      warnings.push({
        code: 'user_id_is_email',
        message:
          'user_id is an email address. This workspace allows that, but emails change (the user then becomes a stranger to Intercom) ' +
          'and are shown in the Messenger; prefer a stable id.',
      });
    } else if (userIdProblem !== null) problems.push(userIdProblem);
    const nested = decoded.payload.custom_attributes;
    if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
      warnings.push({
        code: 'attributes_nested',
        message:
          'The token nests attributes under custom_attributes. Intercom reads signed attributes as top-level claims ' +
          '(next to user_id), so these would be stored as one attribute named custom_attributes, not signed one by one.',
      });
    }
  }

  return { valid: problems.length === 0, header: decoded.header, payload: decoded.payload, problems, warnings };
}

function checkPolicy(policy: InspectionPolicy): { maxTtlSeconds: number; skew: number } {
  const maxTtlSeconds = policy?.maxTtlSeconds;
  const skew = policy?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (!Number.isSafeInteger(maxTtlSeconds) || maxTtlSeconds <= 0 || !Number.isSafeInteger(skew) || skew < 0) {
    throw new InspectionError(
      'policy_invalid',
      'The policy needs maxTtlSeconds as a whole number above 0 (the tenant token lifetime) and, if set, ' +
        'clockSkewSeconds as a whole number of 0 or more.',
    );
  }
  return { maxTtlSeconds, skew };
}

function checkNow(now: Date): number {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new InspectionError('now_invalid', 'now must be a valid Date: pass the current time from your clock.');
  }
  return Math.floor(now.getTime() / 1000);
}

function checkAlg(header: JsonObject): TokenProblem | null {
  const alg = header.alg;
  if (alg === 'HS256') return null;
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    return {
      code: 'alg_not_hs256',
      message:
        'The token is unsigned (alg "none"): anyone could have written it, and Intercom refuses it. ' +
        'Sign it with HS256 using your Messenger API Secret Key, on your server.',
    };
  }
  const found = typeof alg === 'string' ? `alg ${JSON.stringify(alg.slice(0, 20))}` : 'no usable alg';
  return {
    code: 'alg_not_hs256',
    message:
      `The token header has ${found}, but Intercom Messenger tokens must be signed with HS256 ` +
      'using your Messenger API Secret Key. Set the algorithm to HS256 in your JWT library.',
  };
}

// Compares base64url text, not decoded bytes, so a signature with altered padding bits fails,
// and does so in constant time so the comparison reveals nothing about the expected value.
async function signatureMatches(signed: { signingInput: string; signature: string }, key: HmacKey): Promise<boolean> {
  const mac = await webcrypto.subtle.sign('HMAC', key, Buffer.from(signed.signingInput, 'utf8'));
  const expected = Buffer.from(Buffer.from(mac).toString('base64url'), 'ascii');
  const given = Buffer.from(signed.signature, 'ascii');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function checkTimes(
  payload: JsonObject,
  nowSeconds: number,
  maxTtlSeconds: number,
  skew: number,
): { problems: TokenProblem[]; warnings: TokenWarning[] } {
  const problems: TokenProblem[] = [];
  const warnings: TokenWarning[] = [];
  const notNumeric = (['exp', 'iat', 'nbf'] as const).filter(
    (claim) => payload[claim] !== undefined && !isNumericDate(payload[claim]),
  );
  if (notNumeric.length > 0) {
    problems.push({
      code: 'claim_not_numeric',
      message:
        `${notNumeric.join(', ')} must be a number of seconds since 1970 (like 1767225600), not text or anything else. ` +
        'Set it as a number in the token payload.',
    });
  }
  const exp = numericClaim(payload, 'exp');
  const iat = numericClaim(payload, 'iat');
  const nbf = numericClaim(payload, 'nbf');

  // Intercom accepts a token without exp, and one that lives longer than this workspace's policy:
  // both are warnings, so the verdict matches what Intercom will do with the token.
  if (payload.exp === undefined) {
    warnings.push({
      code: 'missing_exp',
      message:
        'The token has no exp (expiry time). Intercom accepts it, but a stolen copy would work forever. ' +
        "Set exp to the issue time plus your token lifetime, matched to your app's session length.",
    });
  }
  if (exp !== null && exp <= nowSeconds) {
    problems.push({
      code: 'expired',
      message:
        `The token expired ${describeDuration(nowSeconds - exp)} ago (exp ${describeInstant(exp)}). ` +
        'Issue a fresh token, and refresh tokens before they expire (for example when the session renews).',
    });
  }

  const future = [
    iat !== null && iat > nowSeconds + skew
      ? `was issued ${describeDuration(iat - nowSeconds)} in the future (iat)`
      : null,
    nbf !== null && nbf > nowSeconds + skew
      ? `is not valid for another ${describeDuration(nbf - nowSeconds)} (nbf)`
      : null,
  ].filter((text): text is string => text !== null);
  if (future.length > 0) {
    problems.push({
      code: 'not_yet_valid',
      message:
        `The token ${future.join(' and ')}. The clock of the server that signs tokens is probably ahead: ` +
        'sync it (NTP), or set iat to the current time and leave nbf out.',
    });
  }

  if (exp !== null) {
    const start = iat ?? nowSeconds;
    const lifetime = exp - start;
    if (lifetime > maxTtlSeconds) {
      const milliseconds = exp > MILLISECONDS_SUSPECT || start > MILLISECONDS_SUSPECT;
      warnings.push({
        code: 'lifetime_exceeds_policy',
        message:
          (iat !== null
            ? `The token lives ${describeDuration(lifetime)} (exp minus iat)`
            : `The token is valid for another ${describeDuration(lifetime)}`) +
          `, longer than this workspace's limit of ${describeDuration(maxTtlSeconds)}. Intercom accepts it; ` +
          (milliseconds
            ? 'its times look like milliseconds: JWT times are seconds since 1970, so divide by 1000.'
            : `issue tokens that expire at most ${describeDuration(maxTtlSeconds)} after they are issued.`),
      });
    }
  }
  return { problems, warnings };
}

function checkUserId(payload: JsonObject): TokenProblem | null {
  const userId = payload.user_id;
  if (userId === undefined || userId === null || (typeof userId === 'string' && userId.trim() === '')) {
    const byEmail =
      typeof payload.email === 'string' ? ' It identifies the user only by email, which is not enough.' : '';
    return {
      code: 'user_id_missing',
      message:
        `The token has no user_id, and Intercom rejects tokens without one.${byEmail} ` +
        "Add user_id with your app's stable id for the user, as a string.",
    };
  }
  if (typeof userId !== 'string') {
    const kind = Array.isArray(userId) ? 'a list' : `a ${typeof userId}`;
    return {
      code: 'user_id_not_string',
      message:
        `user_id is ${kind}, but Intercom expects a string. ` +
        'Send it as text (123 becomes "123"); large numeric ids also lose digits as numbers.',
    };
  }
  if (looksLikeEmail(userId)) {
    return {
      code: 'user_id_looks_like_email',
      message:
        "user_id looks like an email address. Always use your app's stable user id as user_id, not the email " +
        '(emails change and can be shared); put the address in the email claim instead.',
    };
  }
  return null;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function numericClaim(payload: JsonObject, claim: 'exp' | 'iat' | 'nbf'): number | null {
  const value = payload[claim];
  return isNumericDate(value) ? value : null;
}
