export type TokenErrorCode =
  /** `getToken` was called without a usable `user_id`. */
  | 'invalid_user'
  /** The token endpoint answered with a non-2xx status (see `status`). */
  | 'http'
  /** The request failed before any answer: offline, DNS, CORS, a fetcher that threw. */
  | 'network'
  /** A 2xx answer that is not a token response, or a token that had expired on arrival. */
  | 'invalid_response'
  /** The JWT was issued for another `user_id` than the one asked for. */
  | 'user_mismatch'
  /** `bootIntercom` was given an `appId` other than the one the token was issued for. */
  | 'app_mismatch'
  /** `exchangeFetcher`'s `getIdToken` gave no token: nobody is signed in. */
  | 'no_id_token'
  /** Another user asked for a token before this request finished; its answer is discarded. */
  | 'superseded'
  /** `clear()` (sign-out) was called before this request finished. */
  | 'cleared'
  /** `bootIntercom` found no `window.Intercom`: the Messenger's loader has not run. */
  | 'no_messenger'
  /** The client was disposed. */
  | 'disposed'
  /**
   * A warning (to `onError`, once): tokens live shorter than the refresh pacing Intercom's
   * `update` throttle allows, so each expires before the next refresh.
   */
  | 'throttled';

export interface TokenErrorDetails {
  status?: number;
  /** The raw `Retry-After` header of the answer, if it had one. */
  retryAfter?: string;
  cause?: unknown;
}

/**
 * Every failure the token client reports. `code` is stable; `retryable` says whether trying the
 * same request again later can help (network failures, 408, 429 and 5xx).
 */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly status: number | undefined;
  readonly retryAfter: string | undefined;
  readonly retryable: boolean;

  constructor(
    readonly code: TokenErrorCode,
    message: string,
    details: TokenErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.retryAfter = details.retryAfter;
    this.retryable = code === 'network' || (code === 'http' && isRetryableStatus(details.status));
  }
}

export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/**
 * What a custom `fetchToken` threw, as a TokenError. Throw `TokenError` (or anything with a
 * numeric `status`) to say "the server answered"; anything else counts as a network failure and
 * is retried.
 */
export function toTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  if (typeof status === 'number') {
    return new TokenError('http', `Token request failed (${status}): ${message}`, {
      status,
      cause: error,
    });
  }
  return new TokenError('network', `Token request failed: ${message}`, { cause: error });
}

/**
 * Milliseconds to wait according to a `Retry-After` header (delta-seconds or an HTTP date), or
 * undefined when there is no usable header.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
