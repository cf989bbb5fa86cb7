import { call, type Schema } from './client';

export type IntercomConnection = Schema<'IntercomConnectionDto'>;

/** The tenant's Intercom connection; `{connected: false}` when none. Never holds the token. */
export function getIntercomConnection(tenantId: string, signal?: AbortSignal): Promise<IntercomConnection> {
  return call('get', '/api/tenants/{tenantId}/intercom/connection', { path: { tenantId }, signal });
}

/** Intercom checks the token (GET /me) before anything is stored; 409, 422 and 502 say why not. */
export function connectIntercom(tenantId: string, accessToken: string): Promise<IntercomConnection> {
  return call('put', '/api/tenants/{tenantId}/intercom/connection', { path: { tenantId }, body: { accessToken } });
}

export function disconnectIntercom(tenantId: string): Promise<IntercomConnection> {
  return call('delete', '/api/tenants/{tenantId}/intercom/connection', { path: { tenantId } });
}

export type IntercomSecret = Schema<'IntercomSecretDto'>;
export type IntercomSecretLink = Schema<'IntercomSecretLinkDto'>;

/** "Connect with Intercom": Intercom's authorize URL, with a state bound to this session; 404 when not configured. */
export function startIntercomOAuth(tenantId: string): Promise<Schema<'StartIntercomOAuthDto'>> {
  return call('post', '/api/tenants/{tenantId}/intercom/connection/oauth', { path: { tenantId } });
}

/** The callback page hands back what Intercom sent; the API checks the state is this session's. */
export function completeIntercomOAuth(code: string, state: string): Promise<Schema<'CompletedIntercomOAuthDto'>> {
  return call('post', '/api/intercom/oauth/callback', { body: { code, state } });
}

/** Links a stored version to the Intercom secret it is (404 version, 422 unknown id, 409 linked elsewhere). */
export function linkIntercomSecret(
  tenantId: string,
  version: number,
  intercomSecretId: string,
): Promise<IntercomSecretLink> {
  return call('put', '/api/tenants/{tenantId}/intercom/secrets/{version}/intercom-secret', {
    path: { tenantId, version },
    body: { intercomSecretId },
  });
}

export function unlinkIntercomSecret(tenantId: string, version: number): Promise<IntercomSecretLink> {
  return call('delete', '/api/tenants/{tenantId}/intercom/secrets/{version}/intercom-secret', {
    path: { tenantId, version },
  });
}
