import type { Region } from '@messenger-vault/intercom';
import { operatorFetch } from '../common/outbound';

/** Intercom's REST API base per data region (../shared/INTERCOM-API.md, "Hosts and headers"). */
export const INTERCOM_REST_BASES: Readonly<Record<Region, string>> = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
};

/** The version every call names; `GET /me` exists in all 2.x versions. */
export const INTERCOM_VERSION = '2.11';

/** What `GET /me` says of the workspace, reduced to what we keep. */
export interface IntercomWorkspace {
  appId: string;
  name: string;
  region: Region | null;
  identityVerification: boolean;
}

/** Why a call failed, in terms the service maps to an answer; never holds the token. */
export class IntercomCallError extends Error {
  constructor(
    readonly kind: 'rejected' | 'unavailable',
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'IntercomCallError';
  }
}

const REGION_NAMES: Record<string, Region> = {
  us: 'us',
  'united states': 'us',
  eu: 'eu',
  europe: 'eu',
  au: 'au',
  australia: 'au',
};

export function regionOf(value: unknown): Region | null {
  return typeof value === 'string' ? (REGION_NAMES[value.trim().toLowerCase()] ?? null) : null;
}

/** The first message of Intercom's error envelope `{type: "error.list", errors: [{code, message}]}`. */
function envelopeMessage(body: unknown): string | null {
  const errors = (body as { errors?: Array<{ code?: unknown; message?: unknown }> } | null)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (!first) return null;
  const text = [first.code, first.message].filter((x) => typeof x === 'string').join(': ');
  return text ? text.slice(0, 200) : null;
}

/**
 * `GET /me` with the token: who it belongs to, and which workspace. Plain fetch through
 * operatorFetch (the base is the operator's INTERCOM_API_URL or Intercom's own host), bounded
 * by a timeout so a silent Intercom cannot hold a request open.
 */
export async function identifyWorkspace(
  base: string,
  accessToken: string,
  timeoutMs: number,
): Promise<IntercomWorkspace> {
  const { res, body } = await intercomGet(base, '/me', accessToken, timeoutMs, INTERCOM_VERSION);
  if (res.status === 401 || res.status === 403) {
    throw new IntercomCallError('rejected', res.status, envelopeMessage(body) ?? `Intercom answered ${res.status}`);
  }
  if (res.status !== 200) {
    throw new IntercomCallError('unavailable', res.status, envelopeMessage(body) ?? `Intercom answered ${res.status}`);
  }
  const app = (body as { app?: Record<string, unknown> } | null)?.app;
  if (!app || typeof app.id_code !== 'string' || !app.id_code) {
    throw new IntercomCallError(
      'unavailable',
      res.status,
      'Intercom answered GET /me without the workspace (app.id_code)',
    );
  }
  return {
    appId: app.id_code,
    name: typeof app.name === 'string' ? app.name.slice(0, 512) : '',
    region: regionOf(app.region),
    identityVerification: app.identity_verification === true,
  };
}

/**
 * One GET to Intercom's REST API with the token: the answer's status and its JSON body (null when
 * empty or not JSON). A timeout or a transport failure is `unavailable`; the error never holds the
 * token. Callers judge the status and the body's shape.
 */
export async function intercomGet(
  base: string,
  path: string,
  accessToken: string,
  timeoutMs: number,
  version: string,
): Promise<{ res: Response; body: unknown }> {
  try {
    const res = await operatorFetch(`${base}${path}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json', 'intercom-version': version },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { res, body };
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    throw new IntercomCallError(
      'unavailable',
      null,
      timedOut ? `Intercom did not answer within ${timeoutMs} ms` : 'Intercom could not be reached',
    );
  }
}
