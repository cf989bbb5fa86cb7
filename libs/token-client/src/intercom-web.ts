import type { TokenClient } from './client';
import { TokenError } from './errors';
import type { IssuedToken, TokenUser } from './token-response';

export type IntercomSettings = Record<string, unknown>;

/** `window.Intercom`, as the Messenger snippet defines it: `Intercom('boot' | 'update' | 'shutdown', settings?)`. */
export type IntercomFunction = (command: 'boot' | 'update' | 'shutdown', settings?: IntercomSettings) => unknown;

declare global {
  interface Window {
    /** The Messenger's function, defined by Intercom's loader snippet or `@intercom/messenger-js-sdk`. */
    Intercom?: IntercomFunction;
    /** Settings the loader snippet reads when it boots on page load. */
    intercomSettings?: IntercomSettings;
  }
}

export interface BootIntercomOptions {
  /** The Intercom APP_ID; when given it must be the one the token was issued for. Default: the token's. */
  appId?: string;
  /** The Messenger API base for the workspace's region, e.g. `https://api-iam.eu.intercom.io`. */
  apiBase?: string;
  user: TokenUser;
  client: TokenClient;
  /** Any other Messenger settings for `boot`. */
  settings?: IntercomSettings;
}

export interface IntercomSession {
  /** `Intercom('update', …)` with the current token added (fetched again if it is about to expire). */
  update(settings?: IntercomSettings): Promise<void>;
  /** Stops pushing refreshed tokens and calls `Intercom('shutdown')`. Call `client.clear()` too on sign-out. */
  shutdown(): void;
}

/**
 * The identity part of a Messenger `boot`/`update` for a signed-in user. JWT mode sends `user_id`
 * and `intercom_user_jwt` (email and name travel signed inside the JWT); HMAC mode sends
 * `user_id`, `email`, `name` and `user_hash`.
 */
export function identitySettings(token: IssuedToken, user: TokenUser): IntercomSettings {
  if (token.mode === 'jwt') return { user_id: token.userId, intercom_user_jwt: token.token };
  const settings: IntercomSettings = { user_id: token.userId };
  if (user.email !== undefined) settings.email = user.email;
  if (user.name !== undefined) settings.name = user.name;
  settings.user_hash = token.userHash;
  return settings;
}

/**
 * Boots the web Messenger for a signed-in user with their token, then calls
 * `Intercom('update', …)` with each refreshed token, so no `boot`/`update` goes out without one.
 */
export async function bootIntercom(intercom: IntercomFunction, options: BootIntercomOptions): Promise<IntercomSession> {
  const { client, user } = options;
  const token = await client.getToken(user);
  if (options.appId !== undefined && options.appId !== token.appId) {
    throw new TokenError(
      'app_mismatch',
      `The token was issued for Intercom app "${token.appId}", but bootIntercom was given "${options.appId}".`,
    );
  }
  const boot: IntercomSettings = { ...options.settings, app_id: token.appId };
  if (options.apiBase !== undefined) boot.api_base = options.apiBase;
  intercom('boot', { ...boot, ...identitySettings(token, user) });

  let active = true;
  let sent = credential(token);
  const unsubscribe = client.onToken((fresh) => {
    if (!active || fresh.userId !== user.user_id || credential(fresh) === sent) return;
    sent = credential(fresh);
    intercom('update', identitySettings(fresh, user));
  });

  return {
    async update(settings = {}) {
      const current = await client.getToken(user);
      if (!active) return;
      sent = credential(current);
      intercom('update', { ...settings, ...identitySettings(current, user) });
    },
    shutdown() {
      if (!active) return;
      active = false;
      unsubscribe();
      intercom('shutdown');
    },
  };
}

function credential(token: IssuedToken): string {
  return token.mode === 'jwt' ? token.token : token.userHash;
}
