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
