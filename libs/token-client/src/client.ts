import { parseRetryAfter, TokenError, toTokenError, type TokenErrorCode } from './errors';
import type { FetchToken } from './fetchers';
import { jwtPayload, parseTokenResponse, type IssuedToken, type TokenUser } from './token-response';

export interface RetryOptions {
  /** Total tries per token request, the first included. Default 4. */
  attempts?: number;
  /** First backoff delay, doubled per retry. Default 500. */
  baseDelayMs?: number;
  /** Cap on one backoff delay, and the longest `Retry-After` waited for. Default 60 000. */
  maxDelayMs?: number;
}

export interface TokenClientOptions {
  fetchToken: FetchToken;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: any) => void;
  /**
   * How long before expiry a JWT is refreshed. Default: 60 s, or 10% of the lifetime when that is
   * shorter. Never more than half the lifetime.
   */
  refreshMarginSeconds?: number;
  retry?: RetryOptions;
  /**
   * Most refreshed tokens in any 30 minutes, at least 30 min / this apart. Intercom throttles the
   * web Messenger's `update` to about 20 calls per 30 minutes and each refresh is one `update`.
   * Default 18 (two left for boot and the app's own updates).
   */
  refreshesPer30Minutes?: number;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
  /**
   * Failures nobody awaits: a background refresh that failed (a TokenError), an `onToken`
   * listener that threw, or (once per client) a `throttled` warning: tokens live shorter than the
   * paced refresh interval, so the Messenger holds an expired token until the next refresh.
   * Default `console.warn`.
   */
  onError?: (error: unknown) => void;
}

export interface TokenClient {
  /**
   * A token for `user`: from the cache while it is fresh, else from one request shared by every
   * concurrent caller. Asking for another user (another `user_id`, `email` or `name`) drops the
   * previous user's token and discards any answer still on its way for them.
   */
  getToken(user: TokenUser): Promise<IssuedToken>;
  /** Called with every new token (first fetch and each refresh). Returns an unsubscribe function. */
  onToken(listener: (token: IssuedToken) => void): () => void;
  /** Sign-out: drops the token, cancels timers and requests. The client stays usable. */
  clear(): void;
  /** `clear()`, forget the listeners, and refuse further calls. */
  dispose(): void;
}

interface Entry {
  issued: IssuedToken;
  /** Local clock, ms. Infinity for HMAC. */
  expiresAt: number;
  refreshAt: number;
}

interface Flight {
  promise: Promise<IssuedToken>;
  controller: AbortController;
}

interface Session {
  key: string;
  user: Readonly<TokenUser>;
  entry?: Entry;
  flight?: Flight;
  timer?: unknown;
  /** Tokens this session has received; every one after the first is an Intercom `update`. */
  received: number;
}

const DEFAULT_MARGIN_MS = 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const THROTTLE_WINDOW_MS = 1_800_000;

export function createTokenClient(options: TokenClientOptions): TokenClient {
  const now = options.now ?? (() => Date.now());
  const setTimer = options.setTimeout ?? ((callback, ms) => globalThis.setTimeout(callback, ms));
  const clearTimer = options.clearTimeout ?? ((handle) => globalThis.clearTimeout(handle));
  const random = options.random ?? Math.random;
  const report = options.onError ?? ((error: unknown) => console.warn('[token-client]', error));
  const attempts = Math.max(1, Math.floor(options.retry?.attempts ?? 4));
  const baseDelayMs = Math.max(0, options.retry?.baseDelayMs ?? 500);
  const maxDelayMs = Math.max(0, options.retry?.maxDelayMs ?? 60_000);
  const budget = Math.max(1, Math.floor(options.refreshesPer30Minutes ?? 18));
  const marginOption = options.refreshMarginSeconds;
  if (marginOption !== undefined && !(marginOption >= 0)) {
    throw new RangeError('refreshMarginSeconds must be 0 or more.');
  }

  const listeners = new Set<(token: IssuedToken) => void>();
  let session: Session | undefined;
  let disposed = false;
  /** When refreshed tokens were received, for the sliding 30 minutes (kept across users: one Messenger). */
  const refreshes: number[] = [];
  let warned = false;

  function getToken(user: TokenUser): Promise<IssuedToken> {
    if (disposed) return Promise.reject(new TokenError('disposed', 'This token client was disposed.'));
    const problem = checkUser(user);
    if (problem) return Promise.reject(problem);

    // Changed attributes need a newly signed token too.
    const key = JSON.stringify([user.user_id, user.email ?? null, user.name ?? null, user.custom_attributes ?? null]);
    if (session?.key !== key) {
      end('superseded');
      session = { key, user: { ...user }, received: 0 };
    }
    const s = session;
    const t = now();
    const held = s.entry;
    if (held && t >= held.expiresAt) s.entry = undefined;
    else if (held && t < held.refreshAt) return Promise.resolve(held.issued);

    const pending = s.flight?.promise ?? startFlight(s);
    if (!s.entry) return pending;
    // Inside the refresh margin: if the refresh fails for a passing reason, the old token is still good.
    return pending.catch((error: unknown) => {
      const still = s.entry;
      if (session === s && still && error instanceof TokenError && error.retryable && now() < still.expiresAt) {
        return still.issued;
      }
      throw error;
    });
  }

  function startFlight(s: Session): Promise<IssuedToken> {
    const controller = new AbortController();
    const { signal } = controller;
    const run = (async () => {
      const raw = await fetchWithRetry(s.user, signal);
      if (signal.aborted || session !== s) throw signal.reason; // end() aborted it
      const entry = pace(s, toEntry(raw, s.user.user_id, now()));
      s.entry = entry;
      s.flight = undefined;
      scheduleRefresh(s, entry.refreshAt - now());
      emit(entry.issued);
      return entry.issued;
    })();
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    const flight: Flight = { controller, promise: Promise.race([run, aborted]) };
    // On failure, forget the flight so the next call tries again.
    run.catch(() => {
      if (s.flight === flight) s.flight = undefined;
    });
    s.flight = flight;
    return flight.promise;
  }

  async function fetchWithRetry(user: TokenUser, signal: AbortSignal): Promise<unknown> {
    for (let attempt = 1; ; attempt += 1) {
      let error: TokenError;
      try {
        return await options.fetchToken({ ...user }, { signal });
      } catch (caught) {
        if (signal.aborted) throw signal.reason;
        error = toTokenError(caught);
      }
      if (!error.retryable || attempt >= attempts) throw error;
      const retryAfterMs = parseRetryAfter(error.retryAfter, now());
      if (retryAfterMs !== undefined && retryAfterMs > maxDelayMs) throw error;
      await sleep(retryAfterMs ?? backoff(attempt), signal);
    }
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random. */
  function backoff(attempt: number): number {
    const step = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(step / 2 + (random() * step) / 2);
  }

  function sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimer(handle);
        reject(signal.reason);
      };
      const handle = setTimer(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  function toEntry(raw: unknown, userId: string, receivedAt: number): Entry {
    const issued = parseTokenResponse(raw, userId);
    if (issued.mode === 'hmac') return { issued, expiresAt: Infinity, refreshAt: Infinity };

    // The lifetime by our clock, capped by the JWT's own exp - iat in case this device's clock is behind.
    let lifetime = Date.parse(issued.expiresAt) - receivedAt;
    const claims = jwtPayload(issued.token);
    if (typeof claims?.exp === 'number' && typeof claims.iat === 'number') {
      lifetime = Math.min(lifetime, (claims.exp - claims.iat) * 1000);
    }
    if (!(lifetime > 0)) {
      throw new TokenError('invalid_response', `Token expired on arrival (${issued.expiresAt}): check the clock.`);
    }
    const wanted = marginOption === undefined ? Math.min(DEFAULT_MARGIN_MS, lifetime * 0.1) : marginOption * 1000;
    const margin = Math.min(wanted, lifetime / 2);
    return { issued, expiresAt: receivedAt + lifetime, refreshAt: receivedAt + lifetime - margin };
  }

  /**
   * Holds the refresh back until Intercom will take another `update`: at least 30 min / budget after
   * the last refresh, and never more than `budget` in a sliding 30 minutes.
   */
  function pace(s: Session, entry: Entry): Entry {
    const t = now();
    if (entry.expiresAt === Infinity) return entry;
    if (s.received++) refreshes.push(t);
    while (refreshes[0]! <= t - THROTTLE_WINDOW_MS) refreshes.shift();
    entry.refreshAt = Math.max(
      entry.refreshAt,
      (refreshes.at(-1) ?? 0) + THROTTLE_WINDOW_MS / budget,
      (refreshes.at(-budget) ?? 0) + THROTTLE_WINDOW_MS,
    );
    if (entry.refreshAt >= entry.expiresAt && !warned) {
      warned = true;
      report(
        new TokenError(
          'throttled',
          `Tokens expire ${Math.round((entry.refreshAt - entry.expiresAt) / 1000)} s before Intercom's update limit allows a refresh: use 2 min or more.`,
        ),
      );
    }
    return entry;
  }

  function scheduleRefresh(s: Session, delayMs: number): void {
    cancelTimer(s);
    if (!Number.isFinite(delayMs)) return;
    s.timer = setTimer(
      () => {
        s.timer = undefined;
        if (session !== s || s.flight) return;
        startFlight(s).catch((error: unknown) => {
          if (session !== s) return;
          report(error);
          const entry = s.entry;
          const left = entry ? entry.expiresAt - now() : 0;
          if (error instanceof TokenError && error.retryable && left > 0) {
            const wait = parseRetryAfter(error.retryAfter, now()) ?? maxDelayMs;
            scheduleRefresh(s, Math.min(wait, left));
          }
        });
      },
      Math.min(Math.max(0, delayMs), MAX_TIMER_MS),
    );
  }

  function cancelTimer(s: Session): void {
    if (s.timer === undefined) return;
    clearTimer(s.timer);
    s.timer = undefined;
  }

  function emit(token: IssuedToken): void {
    for (const listener of [...listeners]) {
      try {
        listener(token);
      } catch (error) {
        report(error);
      }
    }
  }

  function end(code: TokenErrorCode): void {
    const s = session;
    if (!s) return;
    session = undefined;
    cancelTimer(s);
    s.entry = undefined;
    const flight = s.flight;
    s.flight = undefined;
    flight?.controller.abort(new TokenError(code, endMessage(code)));
  }

  return {
    getToken,
    onToken(listener) {
      if (disposed) return () => {};
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    clear() {
      end('cleared');
    },
    dispose() {
      end('disposed');
      disposed = true;
      listeners.clear();
    },
  };
}

function checkUser(user: TokenUser): TokenError | undefined {
  if (typeof user?.user_id !== 'string' || user.user_id.trim() === '') {
    return new TokenError('invalid_user', 'user_id is required.');
  }
  for (const field of ['email', 'name'] as const) {
    if (user[field] !== undefined && typeof user[field] !== 'string') {
      return new TokenError('invalid_user', `${field} must be a string.`);
    }
  }
  return undefined;
}

function endMessage(code: TokenErrorCode): string {
  return `${code === 'superseded' ? 'Another user asked for a token' : `The client was ${code}`} before this request finished.`;
}
