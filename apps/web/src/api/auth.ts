import type { AcceptInvitationRequest, CurrentUser, LoginRequest } from '@messenger-vault/contracts';
import { call, isApiRequestError } from './client';

/** Signs in and sets the session cookie. A wrong password answers 401, which is not a redirect. */
export function login(body: LoginRequest): Promise<CurrentUser> {
  return call('post', '/api/auth/login', { body, onUnauthorized: 'throw' });
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
