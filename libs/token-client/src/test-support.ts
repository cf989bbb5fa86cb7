// Shared by the tests only (excluded from the build).
import { createTokenClient, type TokenClient, type TokenClientOptions } from './client';
import { TokenError } from './errors';
import type { TokenRequestContext } from './fetchers';
import type { IssuedToken, JwtIssuedToken, TokenUser } from './token-response';

export const T0 = Date.parse('2030-01-01T00:00:00.000Z');
export const APP_ID = 'abc12345';
export const HASH_A = 'a'.repeat(64);

export const alice: TokenUser = { user_id: 'user-alice', email: 'alice@example.com', name: 'Alice' };
export const bob: TokenUser = { user_id: 'user-bob', email: 'bob@example.com' };

function base64Url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A JWT-shaped string (unsigned: the client never verifies signatures, Intercom does). */
export function fakeJwt(userId: string, iatMs: number, ttlSeconds: number, nonce = 0): string {
  const iat = Math.floor(iatMs / 1000);
  const header = base64Url({ alg: 'HS256', typ: 'JWT' });
  const payload = base64Url({ user_id: userId, iat, exp: iat + ttlSeconds, n: nonce });
  return `${header}.${payload}.c2lnbmF0dXJl`;
}

export function jwtResponse(userId: string, ttlSeconds = 3600, issuedAtMs = Date.now(), nonce = 0) {
  return {
    token: fakeJwt(userId, issuedAtMs, ttlSeconds, nonce),
    expires_at: new Date(Math.floor(issuedAtMs / 1000) * 1000 + ttlSeconds * 1000).toISOString(),
    app_id: APP_ID,
  };
}

export function httpError(status: number, retryAfter?: string): TokenError {
  return new TokenError('http', `answered ${status}`, { status, retryAfter });
}

interface Call {
  user: TokenUser;
  signal: AbortSignal;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A fetchToken whose requests stay pending until the test answers them. */
export function manualFetch() {
  const calls: Call[] = [];
  const fetchToken = jest.fn(
    (user: TokenUser, { signal }: TokenRequestContext) =>
      new Promise<unknown>((resolve, reject) => calls.push({ user, signal, resolve, reject })),
  );
  return { fetchToken, calls };
}

/** A fetchToken that answers each request with the next scripted outcome (a value, or an error to throw). */
export function scriptedFetch(...outcomes: Array<(user: TokenUser) => unknown>) {
  let index = 0;
  return jest.fn(async (user: TokenUser) => {
    const outcome = outcomes[Math.min(index, outcomes.length - 1)];
    index += 1;
    if (!outcome) throw new Error('no scripted outcome');
    const value = outcome(user);
    if (value instanceof Error) throw value;
    return value;
  });
}

/** A fetchToken that always answers with a fresh JWT for the user, numbered per call. */
export function issuingFetch(ttlSeconds = 3600) {
  let n = 0;
  return jest.fn(async (user: TokenUser) => {
    n += 1;
    return jwtResponse(user.user_id, ttlSeconds, Date.now(), n);
  });
}

/** A client wired to jest's fake clock and timers through the injection points. */
export function makeClient(options: Partial<TokenClientOptions> & Pick<TokenClientOptions, 'fetchToken'>): {
  client: TokenClient;
  errors: unknown[];
} {
  const errors: unknown[] = [];
  const client = createTokenClient({
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle),
    random: () => 0.5,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { client, errors };
}

/** Lets pending promise callbacks run without moving the clock. */
export async function settle(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
}

export const HOUR_MS = 3_600_000;
/** A fetch outcome: a fresh JWT for whichever user is asked for. */
export const ok = () => (user: { user_id: string }) => jwtResponse(user.user_id);
/** A fetch outcome: the call fails with `error`. */
export const fail = (error: Error) => () => error;

export function jwt(token: IssuedToken): JwtIssuedToken {
  if (token.mode !== 'jwt') throw new Error(`expected a JWT token, got ${token.mode}`);
  return token;
}
