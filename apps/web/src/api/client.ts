import type { ApiError } from '@messenger-vault/contracts';
import type { components, paths } from './schema';

/**
 * The one place in the web app that talks HTTP. Every call to the API goes through `apiFetch`,
 * so errors, cookies and the expired-session redirect are decided here and nowhere else; the
 * resource modules beside this file call it through `call`, which the generated `schema.d.ts`
 * types route by route.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type ApiPath = keyof paths;
/** The methods a path has (openapi-typescript writes the others as `?: never`). */
type MethodOf<P extends ApiPath> = {
  [K in keyof paths[P]]-?: K extends Lowercase<Method>
    ? [NonNullable<paths[P][K]>] extends [never]
      ? never
      : K
    : never;
}[keyof paths[P]];
type Operation<P extends ApiPath, M extends keyof paths[P]> = NonNullable<paths[P][M]>;
/** The query parameters an operation documents. */
export type QueryOf<P extends ApiPath, M extends MethodOf<P>> = QueryParams<Operation<P, M>>;

type SuccessStatus = 200 | 201 | 202 | 203 | 204;
type ResponsesOf<O> = O extends { responses: infer R } ? R : never;
type JsonOf<X> = X extends { content: { 'application/json': infer J } } ? J : unknown;
/** The JSON answer the OpenAPI document promises for the operation's 2xx status. */
export type Documented<P extends ApiPath, M extends keyof paths[P]> = JsonOf<
  ResponsesOf<Operation<P, M>>[Extract<keyof ResponsesOf<Operation<P, M>>, SuccessStatus>]
>;

/** A schema of the OpenAPI document by name, for answers no shared contract type describes. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

type QueryValue = string | number | boolean | null | undefined;

type ParametersOf<O> = O extends { parameters: infer X } ? X : object;
type PathOf<O> = ParametersOf<O> extends { path: infer X } ? X : never;
type QueryParams<O> = ParametersOf<O> extends { query?: infer Q } ? Exclude<Q, undefined> : never;
type RequestBodyOf<O> = O extends { requestBody?: infer R } ? NonNullable<R> : never;
type BodyOf<O> = [RequestBodyOf<O>] extends [never]
  ? never
  : RequestBodyOf<O> extends { content: { 'application/json': infer B } }
    ? B
    : never;

/** What a call needs, read from the operation: path parameters, query and body when it has them. */
export type CallInit<O> = ([PathOf<O>] extends [never] ? { path?: never } : { path: PathOf<O> }) &
  ([QueryParams<O>] extends [never] ? { query?: never } : { query?: QueryParams<O> }) &
  ([BodyOf<O>] extends [never] ? { body?: never } : { body: BodyOf<O> }) &
  Pick<ApiFetchOptions, 'signal' | 'onUnauthorized'>;

/**
 * Calls one documented operation: `call('put', '/api/tenants/{tenantId}/intercom/app-id',
 * { path: { tenantId }, body: { appId } })`. The route, method, parameters and body must match the
 * API's OpenAPI document, or the web app doesn't compile.
 *
 * The answer is typed as the caller's declared type `R` when there is one (the shared type from
 * `@messenger-vault/contracts`), which must be assignable to what the document promises: a contract
 * may describe more than the document does yet, never something different.
 */
export function call<P extends ApiPath, M extends MethodOf<P>, R extends Documented<P, M> = Documented<P, M>>(
  method: M,
  path: P,
  init: CallInit<Operation<P, M>>,
): Promise<R> {
  const {
    path: params,
    query,
    body,
    signal,
    onUnauthorized,
  } = init as {
    path?: Record<string, string | number>;
    query?: Record<string, QueryValue>;
    body?: unknown;
  } & Pick<ApiFetchOptions, 'signal' | 'onUnauthorized'>;
  return apiFetch<R>(fillPath(path, params ?? {}), {
    method: method.toUpperCase() as Method,
    query: query && stringifyQuery(query),
    body,
    signal,
    onUnauthorized,
  });
}

/** `/api/tenants/{tenantId}` with `{tenantId: 'a b'}` → `/api/tenants/a%20b`. */
export function fillPath(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${template}.`);
    return encodeURIComponent(String(value));
  });
}

function stringifyQuery(query: Record<string, QueryValue>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query)) {
    out[key] = value === null || value === undefined ? undefined : String(value);
  }
  return out;
}

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
  /** Set on the retry after a step-up, so a second step_up_required is thrown, not asked again. */
  steppedUp?: boolean;
  /** Set on the retry after a 401 whose session turned out to be alive, so a second 401 signs out. */
  sessionRechecked?: boolean;
}

/**
 * Asks the person for a second factor (the step-up dialog, decision 0053) and resolves true once
 * the API accepted it, false when they cancelled. Registered by <StepUpProvider>.
 */
export type StepUpHandler = () => Promise<boolean>;
let stepUpHandler: StepUpHandler | null = null;

export function setStepUpHandler(handler: StepUpHandler | null): void {
  stepUpHandler = handler;
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
  // A sensitive action wants a recent second factor: ask for it here, once, and send the same
  // request again, so no page has to know which actions are guarded.
  if (response.status === 403 && error.code === 'step_up_required' && stepUpHandler && !options.steppedUp) {
    if (await stepUpHandler()) return apiFetch<T>(path, { ...options, steppedUp: true });
  }
  if (response.status === 401 && onUnauthorized === 'redirect-to-sign-in' && !REJECTED_INPUT.has(error.code)) {
    // A privilege change gives the session a new cookie value (decision 0049). A request that left
    // with the old value a moment before answers 401 although the session lives on: ask once
    // whether it does before leaving the page, and if so send the request again.
    if (!options.sessionRechecked && (await sessionIsAlive(signal))) {
      return apiFetch<T>(path, { ...options, sessionRechecked: true });
    }
    redirectToSignIn();
  }
  throw error;
}

/**
 * 401 codes that judge what the person typed (a wrong password, code or passkey) while the session
 * is fine: shown next to the field, never a trip to sign-in (and never sent again, which would
 * count the same wrong code twice against the throttle).
 */
const REJECTED_INPUT = new Set(['invalid_credentials', 'mfa_code_invalid', 'passkey_rejected']);

async function sessionIsAlive(signal: AbortSignal | undefined): Promise<boolean> {
  try {
    const response = await fetch('/api/auth/me', {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      signal,
    });
    return response.ok;
  } catch {
    return false;
  }
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
