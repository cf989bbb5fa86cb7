import { TokenError } from './errors';
import type { Platform, TokenUser } from './token-response';

export interface TokenRequestContext {
  /** Aborted when the answer is no longer wanted (user changed, `clear()`, `dispose()`). */
  signal: AbortSignal;
}

/**
 * Asks for a token for `user` and resolves to the endpoint's JSON (`{token, expires_at, app_id}`
 * or `{user_hash, app_id}`). Throw a `TokenError` (see `tokenErrorFromResponse`) on a non-2xx
 * answer so the client knows whether to retry.
 */
export type FetchToken = (user: TokenUser, context: TokenRequestContext) => Promise<unknown>;

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface BackendFetcherInit extends Omit<RequestInit, 'method' | 'body' | 'signal'> {
  /** Sent as `platform`; default `web`. */
  platform?: Platform;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
}

/**
 * A fetcher for your own backend endpoint, which signs the user in by its own session and proxies
 * to `POST /v1/intercom/token` with the API key (the key never reaches the browser). Sends
 * `{user_id, email?, name?, platform, custom_attributes?}` as JSON. Headers and options such as `credentials` pass
 * through to `fetch`.
 */
export function backendFetcher(url: string, init: BackendFetcherInit = {}): FetchToken {
  const { platform = 'web', fetch: fetchImpl, headers, ...rest } = init;
  const send = resolveFetch(fetchImpl);
  return async (user, { signal }) => {
    const body: Record<string, unknown> = { user_id: user.user_id };
    if (user.email !== undefined) body.email = user.email;
    if (user.name !== undefined) body.name = user.name;
    body.platform = platform;
    if (user.custom_attributes !== undefined) body.custom_attributes = user.custom_attributes;
    return request(send, url, {
      ...rest,
      method: 'POST',
      headers: jsonHeaders(headers),
      body: JSON.stringify(body),
      signal,
    });
  };
}

export interface ExchangeFetcherOptions {
  /** Where messenger-vault is served, e.g. `https://vault.example.com`. */
  baseUrl: string;
  /** The tenant whose identity provider issued the ID token. */
  tenantId: string;
  platform: Platform;
  /** The signed-in user's current ID token from your identity provider (refreshed by its SDK). */
  getIdToken: () => string | null | undefined | Promise<string | null | undefined>;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
}

/**
 * A fetcher for `POST {baseUrl}/v1/intercom/token/exchange`: no backend of your own, no secret in
 * the browser. The user comes from the ID token (the tenant's claim mapping), so `user.user_id`
 * must match that claim; the client checks the JWT it gets back.
 */
export function exchangeFetcher(options: ExchangeFetcherOptions): FetchToken {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/v1/intercom/token/exchange`;
  const send = resolveFetch(options.fetch);
  return async (_user, { signal }) => {
    const idToken = await options.getIdToken();
    if (typeof idToken !== 'string' || idToken === '') {
      throw new TokenError('no_id_token', 'No ID token: is the user signed in?');
    }
    const headers = jsonHeaders(undefined);
    headers.set('Authorization', `Bearer ${idToken}`);
    return request(send, url, {
      method: 'POST',
      headers,
      credentials: 'omit',
      body: JSON.stringify({ tenant_id: options.tenantId, platform: options.platform }),
      signal,
    });
  };
}

/**
 * The TokenError for a non-2xx answer, with its status, `Retry-After` and the server's message
 * (`{statusCode, error, message}`), for custom fetchers.
 */
export async function tokenErrorFromResponse(response: Response, url = response.url): Promise<TokenError> {
  let detail = response.statusText;
  try {
    const text = await response.text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    const message = (body as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string') detail = message;
    else if (Array.isArray(message)) detail = message.map(String).join('; ');
  } catch {
    // Not JSON: keep the status text.
  }
  const where = url ? `${url} answered` : 'The token endpoint answered';
  return new TokenError('http', `${where} ${response.status}${detail ? `: ${detail}` : ''}`, {
    status: response.status,
    retryAfter: response.headers.get('Retry-After') ?? undefined,
  });
}

async function request(send: FetchLike, url: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await send(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new TokenError('network', `Could not reach ${url}: ${reason}`, { cause: error });
  }
  if (!response.ok) throw await tokenErrorFromResponse(response, url);
  try {
    return await response.json();
  } catch (error) {
    throw new TokenError('invalid_response', `${url} answered ${response.status} but not with JSON.`, {
      status: response.status,
      cause: error,
    });
  }
}

function jsonHeaders(init: HeadersInit | undefined): Headers {
  const headers = new Headers(init);
  headers.set('Content-Type', 'application/json');
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  return headers;
}

function resolveFetch(fetchImpl: FetchLike | undefined): FetchLike {
  if (fetchImpl) return fetchImpl;
  if (typeof globalThis.fetch !== 'function') {
    throw new TypeError('No global fetch: pass `fetch` in the options.');
  }
  // Looked up on each call (not captured), so polyfills and test doubles installed later still apply.
  return (url, init) => globalThis.fetch(url, init);
}
