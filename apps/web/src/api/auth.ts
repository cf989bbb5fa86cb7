import type { AcceptInvitationRequest, CurrentUser, LoginRequest, MfaRequired } from '@messenger-vault/contracts';
import { call, isApiRequestError } from './client';

/**
 * Signs in and sets the session cookie, or, with two-factor sign-in on, answers `{mfaRequired}`
 * and no session until `verifyMfa`. A wrong password answers 401, which is not a redirect.
 */
export function login(body: LoginRequest): Promise<CurrentUser | MfaRequired> {
  return call('post', '/api/auth/login', { body, onUnauthorized: 'throw' });
}

export function isMfaRequired(answer: CurrentUser | MfaRequired): answer is MfaRequired {
  return 'mfaRequired' in answer && answer.mfaRequired === true;
}

/** Completes a sign-in that asked for a code (TOTP or recovery code); sets the session cookie. */
export function verifyMfa(code: string): Promise<CurrentUser> {
  return call('post', '/api/auth/mfa/verify', { body: { code }, onUnauthorized: 'throw' });
}

/** Starts TOTP enrolment: the secret and its otpauth:// URL, shown this once. */
export function setupTotp(): Promise<{ secret: string; otpauthUrl: string }> {
  return call('post', '/api/auth/mfa/totp/setup', {});
}

/** Turns TOTP on with a first code; answers the ten recovery codes, shown this once. */
export function enableTotp(code: string): Promise<{ recoveryCodes: string[] }> {
  return call('post', '/api/auth/mfa/totp/enable', { body: { code } });
}

export async function disableTotp(code: string): Promise<void> {
  await call('delete', '/api/auth/mfa/totp', { body: { code } });
}

/** The signed-in user; throws an `ApiRequestError` with status 401 when nobody is signed in. */
export function getCurrentUser(signal?: AbortSignal): Promise<CurrentUser> {
  return call('get', '/api/auth/me', { signal, onUnauthorized: 'throw' });
}

export async function logout(): Promise<void> {
  try {
    await call('post', '/api/auth/logout', { onUnauthorized: 'throw' });
  } catch (error) {
    // Already signed out (the session had expired): that is what the person asked for.
    if (!isApiRequestError(error, 401)) throw error;
  }
}

/** Ends every session of the signed-in user, on every device, this one included. */
export async function logoutEverywhere(): Promise<void> {
  try {
    await call('post', '/api/auth/logout-all', { onUnauthorized: 'throw' });
  } catch (error) {
    if (!isApiRequestError(error, 401)) throw error;
  }
}

/** New invitee: sets their password and signs them in. Existing account: joins while signed in, no password. */
export function acceptInvitation(body: AcceptInvitationRequest): Promise<CurrentUser> {
  return call('post', '/api/invitations/accept', { body, onUnauthorized: 'throw' });
}
