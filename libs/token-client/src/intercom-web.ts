import type { TokenClient } from './client';
import { TokenError } from './errors';
import type { IssuedToken, TokenUser } from './token-response';

export type IntercomSettings = Record<string, unknown>;

/** `window.Intercom`, as Intercom's loader snippet defines it: `Intercom('boot' | 'update' | 'shutdown', settings?)`. */
export type IntercomFunction = (command: 'boot' | 'update' | 'shutdown', settings?: IntercomSettings) => unknown;

/**
 * The Messenger as functions: `@intercom/messenger-js-sdk`'s module (`import * as sdk from
 * '@intercom/messenger-js-sdk'`) fits as is. With its `Intercom` (the SDK's loader) the first
 * boot on the page goes through it, so the SDK loads the Messenger with the JWT already in
 * `intercomSettings`.
 */
export interface IntercomApi {
  boot(settings: IntercomSettings): unknown;
  update(settings: IntercomSettings): unknown;
  shutdown(): unknown;
  Intercom?(settings: IntercomSettings): unknown;
}

/**
 * Where the Messenger is: the SDK's functions, a `window.Intercom`-style function, or nothing:
 * then `window.Intercom` is looked up at each call (the loader's queue is replaced once the
 * Messenger has loaded, so a function captured early may be a dead queue).
 */
export type IntercomTarget = IntercomApi | IntercomFunction | undefined;

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
  /** Sign-out: stops pushing refreshed tokens, `Intercom('shutdown')`, and `client.clear()`. */
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

interface Booted {
  user: TokenUser;
  client: TokenClient;
  /** The identity settings Intercom has now: nothing is re-sent unchanged (each `update` counts). */
  sent: string;
  session: IntercomSession;
  stop(): void;
}

// One Messenger per page, whichever way it is reached.
let booted: Booted | undefined;

function windowIntercom(): IntercomFunction | undefined {
  const intercom = (globalThis as { Intercom?: unknown }).Intercom;
  return typeof intercom === 'function' ? (intercom as IntercomFunction) : undefined;
}

function toApi(target: IntercomTarget): IntercomApi {
  if (typeof target === 'object') return target;
  const call = (command: 'boot' | 'update' | 'shutdown') => (settings?: IntercomSettings) => {
    const intercom = target ?? windowIntercom();
    if (!intercom) throw new TokenError('no_messenger', 'No window.Intercom: load the Messenger first.');
    return intercom(command, settings);
  };
  return { boot: call('boot'), update: call('update'), shutdown: call('shutdown') };
}

/**
 * Boots the web Messenger for a signed-in user with their token, and sends each refreshed token
 * with `update`. Called again: another user is shut down first, then booted with a new JWT
 * (Intercom's order); the same user with another email or name is signed again and sent with
 * `update`; the same user unchanged sends nothing.
 */
export async function bootIntercom(target: IntercomTarget, options: BootIntercomOptions): Promise<IntercomSession> {
  const { client, user } = options;
  const api = toApi(target);
  // Before the request (shutdown first, so the old user's session is gone while the new one's token
  // is fetched), and again after it, in case another call booted this Messenger meanwhile.
  const takeOver = () => {
    const previous = booted;
    if (previous && (previous.user.user_id !== user.user_id || previous.client !== client)) {
      previous.stop();
      api.shutdown();
      return undefined;
    }
    if (previous) previous.user = user;
    return previous;
  };
  takeOver();
  const token = await client.getToken(user);
  const same = takeOver();
  if (options.appId !== undefined && options.appId !== token.appId) {
    throw new TokenError('app_mismatch', `Token is for app "${token.appId}", not "${options.appId}".`);
  }
  if (same) {
    send(same, token);
    return same.session;
  }

  const identity = identitySettings(token, user);
  const apiBase = options.apiBase;
  const settings = { ...options.settings, app_id: token.appId, ...(apiBase && { api_base: apiBase }), ...identity };
  if (api.Intercom && !windowIntercom()) {
    // The SDK's loader sets `intercomSettings` from these and takes the region from `region`, not `api_base`.
    const region = /\.(eu|au)\./.exec(apiBase!)?.[1];
    api.Intercom({ ...settings, region: region === 'au' ? 'ap' : (region ?? 'us') });
  } else {
    api.boot(settings);
  }

  let active = true;
  const unsubscribe = client.onToken((fresh) => {
    if (active && fresh.userId === current.user.user_id) send(current, fresh);
  });
  const current: Booted = {
    user,
    client,
    sent: JSON.stringify(identity),
    stop() {
      active = false;
      unsubscribe();
      if (booted === current) booted = undefined;
    },
    session: {
      async update(extra = {}) {
        // An old session (signed out, or another user since) must not ask the client for its user again.
        const fresh = active && (await client.getToken(current.user));
        if (active && fresh) api.update({ ...extra, ...send(current, fresh, true) });
      },
      shutdown() {
        if (!active) return;
        current.stop();
        api.shutdown();
        client.clear();
      },
    },
  };
  booted = current;
  return current.session;

  /** Sends changed identity settings with `update` (or returns them for the caller to send). */
  function send(to: Booted, fresh: IssuedToken, own?: boolean): IntercomSettings {
    const identity = identitySettings(fresh, to.user);
    const sent = JSON.stringify(identity);
    if (sent !== to.sent && !own) api.update(identity);
    to.sent = sent;
    return identity;
  }
}
