import type { Platform } from '@messenger-vault/intercom';
import { operatorFetch } from '../common/outbound';
import { INTERCOM_PREVIEW_VERSION } from '../intercom/intercom-secrets-api';

/** A secret as Intercom lists it: metadata only. */
export interface IntercomSecretMeta {
  id: string;
  name: string;
  platforms: Platform[];
  createdAt: number;
}

/**
 * Why a call to the secrets endpoints failed, sorted by what the rotation does next:
 * `rate_limited` waits until `retryAt`; `unavailable` (5xx, timeout, no answer) retries with
 * backoff; `unauthorized` (401) and `forbidden` (403) stop the run. Never holds a token or a secret.
 */
export class IntercomSecretsError extends Error {
  constructor(
    readonly kind: 'rate_limited' | 'unavailable' | 'unauthorized' | 'forbidden' | 'invalid',
    readonly status: number | null,
    message: string,
    readonly retryAt: Date | null = null,
  ) {
    super(message);
    this.name = 'IntercomSecretsError';
  }
}

const PLATFORM_FIELDS: ReadonlyArray<[Platform, string]> = [
  ['web', 'supports_web'],
  ['ios', 'supports_ios'],
  ['android', 'supports_android'],
];

function envelopeMessage(body: unknown): string | null {
  const errors = (body as { errors?: Array<{ code?: unknown; message?: unknown }> } | null)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (!first) return null;
  const text = [first.code, first.message].filter((x) => typeof x === 'string').join(': ');
  return text ? text.slice(0, 200) : null;
}

function toMeta(raw: Record<string, unknown>): IntercomSecretMeta {
  return {
    id: String(raw.id),
    name: typeof raw.name === 'string' ? raw.name : '',
    platforms: PLATFORM_FIELDS.filter(([, field]) => raw[field] === true).map(([p]) => p),
    createdAt: typeof raw.created_at === 'number' ? raw.created_at : 0,
  };
}

/**
 * Intercom's `/secure_mode_secrets` (Preview) for one workspace's access token. Plain fetch:
 * `intercom-client` does not cover the Preview endpoints. One call is one attempt; retrying is
 * the rotation's business, so it can persist where it stands between attempts.
 */
export class IntercomSecretsApi {
  constructor(
    private readonly base: string,
    private readonly accessToken: string,
    private readonly timeoutMs: number,
  ) {}

  async list(): Promise<IntercomSecretMeta[]> {
    const body = (await this.call('GET', '/secure_mode_secrets')) as { data?: unknown } | null;
    if (!Array.isArray(body?.data)) {
      throw new IntercomSecretsError('unavailable', 200, 'Intercom answered the secrets list without its data');
    }
    return (body.data as Array<Record<string, unknown>>).map(toMeta);
  }

  /**
   * Creates a secret. The answer holds its value, which Intercom never shows again: the caller
   * seals and stores it before doing anything else.
   */
  async create(name: string, platforms: readonly Platform[]): Promise<IntercomSecretMeta & { secret: string }> {
    const payload: Record<string, unknown> = { name };
    for (const [p, field] of PLATFORM_FIELDS) payload[field] = platforms.includes(p);
    const body = (await this.call('POST', '/secure_mode_secrets', payload)) as Record<string, unknown> | null;
    if (!body || typeof body.secret !== 'string' || !body.secret || body.id === undefined) {
      throw new IntercomSecretsError('unavailable', 200, 'Intercom answered the create without the secret or its id');
    }
    return { ...toMeta(body), secret: body.secret };
  }

  /** Deletes a secret; `false` when Intercom has none by that id (404): already gone counts as done. */
  async delete(id: string): Promise<boolean> {
    try {
      await this.call('DELETE', `/secure_mode_secrets/${encodeURIComponent(id)}`);
      return true;
    } catch (err) {
      if (err instanceof IntercomSecretsError && err.status === 404) return false;
      throw err;
    }
  }

  private async call(method: string, path: string, payload?: unknown): Promise<unknown> {
    let res: Response;
    let text: string;
    try {
      res = await operatorFetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.accessToken}`,
          accept: 'application/json',
          'intercom-version': INTERCOM_PREVIEW_VERSION,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: payload === undefined ? undefined : JSON.stringify(payload),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      throw new IntercomSecretsError(
        'unavailable',
        null,
        timedOut
          ? `Intercom did not answer ${method} ${path} within ${this.timeoutMs} ms`
          : `Intercom could not be reached (${method} ${path})`,
      );
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.status >= 200 && res.status < 300) return body;
    const said = envelopeMessage(body) ?? `HTTP ${res.status}`;
    if (res.status === 401) throw new IntercomSecretsError('unauthorized', 401, said);
    if (res.status === 403) throw new IntercomSecretsError('forbidden', 403, said);
    if (res.status === 429) {
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      const retryAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null;
      throw new IntercomSecretsError('rate_limited', 429, said, retryAt);
    }
    if (res.status >= 500) throw new IntercomSecretsError('unavailable', res.status, said);
    throw new IntercomSecretsError('invalid', res.status, said);
  }
}
