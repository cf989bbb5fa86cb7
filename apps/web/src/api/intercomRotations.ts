import { call, type Schema } from './client';

export type Rotation = Schema<'RotationDto'>;
export type RotationState = Rotation['state'];

/** "Rotate now": 202 with the run; 409 while another runs, without a connection, or with nothing to rotate. */
export function startRotation(tenantId: string): Promise<Rotation> {
  return call('post', '/api/tenants/{tenantId}/intercom/rotations', { path: { tenantId } });
}

/** The newest runs first, each with its timeline. */
export async function listRotations(tenantId: string, limit: number, signal?: AbortSignal): Promise<Rotation[]> {
  const list = await call('get', '/api/tenants/{tenantId}/intercom/rotations', {
    path: { tenantId },
    query: { limit },
    signal,
  });
  return list.items;
}

export function getRotation(tenantId: string, rotationId: string, signal?: AbortSignal): Promise<Rotation> {
  return call('get', '/api/tenants/{tenantId}/intercom/rotations/{rotationId}', {
    path: { tenantId, rotationId },
    signal,
  });
}

/** Ends the overlap now: the old secret is deleted in Intercom without waiting for the token lifetime. */
export function finishRotation(tenantId: string, rotationId: string): Promise<Rotation> {
  return call('post', '/api/tenants/{tenantId}/intercom/rotations/{rotationId}/finish', {
    path: { tenantId, rotationId },
  });
}
