import type { ApiError } from '@messenger-vault/contracts';

/**
 * The one function in the web app that talks HTTP. Every call to the API goes through it, so
 * errors, cookies and the expired-session redirect are decided here and nowhere else.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiFetchOptions {
  method?: Method;
  body?: unknown;
  query?: Record<string, string | null | undefined>;
  signal?: AbortSignal;
  /**
   * What a 401 means for this call. For most calls it means the session expired, so the
   * browser goes to sign-in and comes back afterwards. Sign-in and "who am I" calls answer 401
   * as an ordinary result and pass `'throw'`.
   */
  onUnauthorized?: 'redirect-to-sign-in' | 'throw';
}

/** An API answer other than 2xx, or no answer at all (`status` 0). */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  readonly status: number;
  readonly code: string;
  /** Every sentence the API sent; validation errors send one per problem. */
  readonly messages: string[];
  /** Per-field messages of a validation error, keyed by request field. */
  readonly fields: Record<string, string[]>;
  /** From `Retry-After` on 429 answers. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: string;
    messages: string[];
    fields?: Record<string, string[]>;
    retryAfterSeconds?: number | null;
  }) {
    super(init.messages.join(' '));
    this.status = init.status;
    this.code = init.code;
    this.messages = init.messages;
    this.fields = init.fields ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

export function isApiRequestError(error: unknown, status?: number): error is ApiRequestError {
  return error instanceof ApiRequestError && (status === undefined || error.status === status);
}

export async function apiFetch<T>(path: string, options: ApiFetchOptions = {}): Promise<T> {
  const { method = 'GET', body, query, signal, onUnauthorized = 'redirect-to-sign-in' } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(withQuery(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiRequestError({
      status: 0,
      code: 'network_error',
      messages: ["Can't reach Messenger Vault. Check your connection and try again."],
    });
  }

  const payload = await readJson(response);
  if (response.ok) return payload as T;

  const error = toApiRequestError(response, payload);
  if (response.status === 401 && onUnauthorized === 'redirect-to-sign-in') {
    redirectToSignIn();
  }
  throw error;
}

function withQuery(path: string, query: ApiFetchOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined) params.set(key, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiRequestError(response: Response, payload: unknown): ApiRequestError {
  const body = isApiErrorBody(payload) ? payload : undefined;
  const sentences = typeof body?.message === 'string' ? [body.message] : (body?.message ?? []);
  return new ApiRequestError({
    status: response.status,
    code: body?.code ?? `http_${response.status}`,
    messages: sentences.length > 0 ? sentences : [fallbackMessage(response.status)],
    fields: body?.fields,
    retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')),
  });
}

function isApiErrorBody(payload: unknown): payload is Partial<ApiError> {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload);
}

/** Used only when the API sent no message of its own (a proxy error page, for instance). */
function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Sign in again to continue.';
  if (status === 403) return "You don't have permission to do that.";
  if (status === 404) return "That doesn't exist, or you don't have access to it.";
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (status >= 500) return 'Messenger Vault had a problem. Try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

/** `Retry-After` is either a number of seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The session expired: sign in again, then come back to the page the person was on. */
function redirectToSignIn(): void {
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  window.location.assign(`/login?next=${encodeURIComponent(pathname + search)}`);
}
