import type { Region } from '@messenger-vault/intercom';
import { operatorFetch } from '../common/outbound';
import type { IntercomOAuthConfig } from '../config/config';
import { INTERCOM_REST_BASES, IntercomCallError } from './intercom-api';

/** Intercom's web app per region: where the browser authorizes ("Setting up OAuth"). */
const INTERCOM_APP_HOSTS: Readonly<Record<Region, string>> = {
  us: 'https://app.intercom.com',
  eu: 'https://app.eu.intercom.com',
  au: 'https://app.au.intercom.com',
};

export function authorizeUrl(config: IntercomOAuthConfig, region: Region, state: string): string {
  const url = new URL(config.authorizeUrl ?? `${INTERCOM_APP_HOSTS[region]}/oauth`);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('state', state);
  url.searchParams.set('redirect_uri', config.redirectUri);
  return url.toString();
}

export function tokenUrl(config: IntercomOAuthConfig, apiUrl: string | null, region: Region): string {
  return config.tokenUrl ?? `${apiUrl ?? INTERCOM_REST_BASES[region]}/auth/eagle/token`;
}

function problemOf(body: unknown): string | null {
  const b = body as {
    errors?: Array<{ code?: unknown; message?: unknown }>;
    error?: unknown;
    error_description?: unknown;
  } | null;
  const first = Array.isArray(b?.errors) ? b.errors[0] : undefined;
  const parts = first ? [first.code, first.message] : [b?.error, b?.error_description];
  const text = parts.filter((x) => typeof x === 'string').join(': ');
  return text ? text.slice(0, 200) : null;
}

/**
 * Trades an authorization code at Intercom's token endpoint (`POST /auth/eagle/token` with
 * `code`, `client_id`, `client_secret`, form-encoded). Intercom answers `{token_type: "Bearer",
 * token, access_token}`: tokens that do not expire and come without a refresh token. A 4xx is
 * a refused code ("rejected"); no answer, a 5xx or a body without a token is "unavailable".
 * Errors never carry the code, the client secret or the token.
 */
export async function tradeCode(
  url: string,
  fields: { code: string; clientId: string; clientSecret: string },
  timeoutMs: number,
): Promise<string> {
  let res: Response;
  let body: unknown;
  try {
    res = await operatorFetch(url, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        code: fields.code,
        client_id: fields.clientId,
        client_secret: fields.clientSecret,
      }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    throw new IntercomCallError(
      'unavailable',
      null,
      timedOut ? `Intercom did not answer within ${timeoutMs} ms` : 'Intercom could not be reached',
    );
  }
  if (res.status >= 400 && res.status < 500) {
    throw new IntercomCallError('rejected', res.status, problemOf(body) ?? `Intercom answered ${res.status}`);
  }
  if (res.status !== 200) {
    throw new IntercomCallError('unavailable', res.status, problemOf(body) ?? `Intercom answered ${res.status}`);
  }
  const answer = body as { access_token?: unknown; token?: unknown } | null;
  const token = typeof answer?.access_token === 'string' ? answer.access_token : answer?.token;
  if (typeof token !== 'string' || !/^[\x21-\x7e]{8,1024}$/.test(token)) {
    throw new IntercomCallError('unavailable', res.status, 'Intercom answered the code trade without an access token');
  }
  return token;
}
