import { call, type Schema } from './client';

export type Session = Schema<'SessionDto'>;

/** The signed-in account's sessions, most recently seen first. */
export function listSessions(signal?: AbortSignal): Promise<{ sessions: Session[] }> {
  return call('get', '/api/auth/sessions', { signal });
}

/** Signs out one of your sessions. */
export async function endSession(id: string): Promise<void> {
  await call('delete', '/api/auth/sessions/{id}', { path: { id } });
}

/** Signs out every session of yours but this one; how many ended. */
export function endOtherSessions(): Promise<{ ok: boolean; ended: number }> {
  return call('post', '/api/auth/sessions/revoke-others', {});
}

/** Changes the password: the other sessions end, this browser gets a new session. */
export function changePassword(body: { currentPassword: string; newPassword: string }): Promise<{ ended: number }> {
  return call('post', '/api/auth/password', { body });
}

/** Whether staff single sign-on is set up (the login page's "Sign in with SSO"). */
export function getSsoConfig(signal?: AbortSignal): Promise<{ enabled: boolean }> {
  return call('get', '/api/auth/oidc/config', { signal, onUnauthorized: 'throw' });
}

/** A browser navigation, not a fetch: the identity provider's pages take over the tab. */
export const SSO_START_URL = '/api/auth/oidc/start';

/** Ten new recovery codes for a current code; the old ones stop working and the other sessions end. */
export function replaceRecoveryCodes(code: string): Promise<{ recoveryCodes: string[] }> {
  return call('post', '/api/auth/mfa/recovery-codes', { body: { code } });
}
