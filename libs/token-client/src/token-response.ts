import { TokenError } from './errors';

/** The signed-in user a token is for. `user_id` is your stable id for them, never their email. */
export interface TokenUser {
  user_id: string;
  email?: string;
  name?: string;
  /**
   * Signed into the JWT by `POST /v1/intercom/token`: only names on the tenant's allow-list, with
   * its types. The exchange endpoint takes them from the ID token instead, never from here.
   */
  custom_attributes?: Record<string, string | number | boolean>;
}

export type Platform = 'web' | 'ios' | 'android';

/** `POST /v1/intercom/token` and `/v1/intercom/token/exchange` in JWT mode. */
export interface JwtTokenResponse {
  token: string;
  /** ISO 8601 UTC. */
  expires_at: string;
  app_id: string;
  /** The tenant's Messenger session length, in milliseconds: pass it as `session_duration` when booting. */
  session_duration?: number;
}

/** The same endpoints in legacy HMAC (Identity Verification) mode: no expiry. */
export interface HmacTokenResponse {
  user_hash: string;
  app_id: string;
  session_duration?: number;
}

export type TokenResponse = JwtTokenResponse | HmacTokenResponse;

export interface JwtIssuedToken {
  mode: 'jwt';
  userId: string;
  appId: string;
  /** Give this to Intercom: `intercom_user_jwt` on web, `setUserJwt` on mobile. */
  token: string;
  /** As the server sent it: ISO 8601 UTC. */
  expiresAt: string;
  /** The tenant's `session_duration` policy in milliseconds, when it set one. */
  sessionDurationMs?: number;
}

export interface HmacIssuedToken {
  mode: 'hmac';
  userId: string;
  appId: string;
  /** Give this to Intercom: `user_hash` on web, `setUserHash` on mobile. */
  userHash: string;
  sessionDurationMs?: number;
}

export type IssuedToken = JwtIssuedToken | HmacIssuedToken;

const USER_HASH = /^[0-9a-f]{64}$/;

/**
 * Checks an answer from the token endpoint and names it for the client. A JWT must carry the
 * `user_id` that was asked for: a proxy that mixes users up fails here, not inside Intercom.
 */
export function parseTokenResponse(raw: unknown, userId: string): IssuedToken {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid('not a JSON object');
  }
  const body = raw as Record<string, unknown>;
  const appId = body.app_id;
  if (typeof appId !== 'string' || appId === '') throw invalid('no app_id');

  if ('token' in body) {
    const { token, expires_at: expiresAt } = body;
    if (typeof token !== 'string' || token === '') throw invalid('empty token');
    if (typeof expiresAt !== 'string' || Number.isNaN(Date.parse(expiresAt))) {
      throw invalid('expires_at is not a date');
    }
    const claims = jwtPayload(token);
    if (claims === undefined) throw invalid('token is not a JWT');
    if (claims.user_id === undefined || claims.user_id === null) throw invalid('no user_id claim');
    if (String(claims.user_id) !== userId) {
      throw new TokenError('user_mismatch', `JWT is for another user than "${userId}".`);
    }
    return { mode: 'jwt', userId, appId, token, expiresAt, ...sessionDuration(body) };
  }

  if ('user_hash' in body) {
    const userHash = body.user_hash;
    if (typeof userHash !== 'string' || !USER_HASH.test(userHash)) {
      throw invalid('user_hash is not 64 lowercase hex');
    }
    return { mode: 'hmac', userId, appId, userHash, ...sessionDuration(body) };
  }

  throw invalid('no token or user_hash');
}

/** The JWT's payload, decoded without verifying anything (the client only reads times and user_id). */
export function jwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return undefined;
  try {
    const value: unknown = JSON.parse(base64UrlDecode(parts[1]));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function base64UrlDecode(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

function sessionDuration(body: Record<string, unknown>): { sessionDurationMs?: number } {
  const ms = body.session_duration;
  return typeof ms === 'number' && ms > 0 ? { sessionDurationMs: ms } : {};
}

function invalid(reason: string): TokenError {
  return new TokenError('invalid_response', `Not a token response: ${reason}.`);
}
