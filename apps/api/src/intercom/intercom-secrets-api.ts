import { IntercomCallError, intercomGet } from './intercom-api';

/** The identity verification secrets endpoints exist only in this version (INTERCOM-API.md). */
export const INTERCOM_PREVIEW_VERSION = 'Preview';

/** A secret as `GET /secure_mode_secrets` lists it: metadata only, never the value. */
export interface IntercomSecretMeta {
  id: string;
  name: string;
  supportsWeb: boolean;
  supportsIos: boolean;
  supportsAndroid: boolean;
  /** Unix seconds, as Intercom sends it; null when absent. */
  createdAt: number | null;
}

/** Intercom's `{type: "error.list", errors: [{code, message}]}`, first entry, for people to read. */
function envelopeMessage(body: unknown): string | null {
  const errors = (body as { errors?: Array<{ code?: unknown; message?: unknown }> } | null)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (!first) return null;
  const text = [first.code, first.message].filter((x) => typeof x === 'string').join(': ');
  return text ? text.slice(0, 200) : null;
}

/**
 * `GET /secure_mode_secrets` (Preview): the workspace's secrets, metadata only. 401 and 403 are
 * `rejected` (the caller tells a revoked token from a missing scope by the status), anything
 * else that is not a list `unavailable`. The error never holds the token.
 */
export async function listSecureModeSecrets(
  base: string,
  accessToken: string,
  timeoutMs: number,
): Promise<IntercomSecretMeta[]> {
  const { res, body } = await intercomGet(
    base,
    '/secure_mode_secrets',
    accessToken,
    timeoutMs,
    INTERCOM_PREVIEW_VERSION,
  );
  if (res.status === 401 || res.status === 403) {
    throw new IntercomCallError('rejected', res.status, envelopeMessage(body) ?? `Intercom answered ${res.status}`);
  }
  const data = (body as { type?: unknown; data?: unknown } | null)?.data;
  if (res.status !== 200 || !Array.isArray(data)) {
    throw new IntercomCallError(
      'unavailable',
      res.status,
      envelopeMessage(body) ?? `Intercom answered ${res.status} without a list of secrets`,
    );
  }
  return data.flatMap((item: Record<string, unknown>) => {
    const id = typeof item?.id === 'string' || typeof item?.id === 'number' ? String(item.id) : null;
    if (!id || id.length > 128) return [];
    return [
      {
        id,
        name: typeof item.name === 'string' ? item.name.slice(0, 256) : '',
        supportsWeb: item.supports_web === true,
        supportsIos: item.supports_ios === true,
        supportsAndroid: item.supports_android === true,
        createdAt: typeof item.created_at === 'number' ? item.created_at : null,
      },
    ];
  });
}
