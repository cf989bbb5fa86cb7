import { call, isApiRequestError, type Schema } from './client';

export type Webhook = Schema<'WebhookDto'>;
export type CreatedWebhook = Schema<'CreatedWebhookDto'>;

/** The tenant's webhook, or `null` when it has none (the API answers 404). */
export async function getWebhook(tenantId: string, signal?: AbortSignal): Promise<Webhook | null> {
  try {
    return await call('get', '/api/tenants/{tenantId}/webhook', { path: { tenantId }, signal });
  } catch (error) {
    if (isApiRequestError(error, 404)) return null;
    throw error;
  }
}

/** Sets the URL; the answer holds a new signing secret, shown only this once. */
export function setWebhook(tenantId: string, url: string): Promise<CreatedWebhook> {
  return call('put', '/api/tenants/{tenantId}/webhook', { path: { tenantId }, body: { url } });
}

export function deleteWebhook(tenantId: string): Promise<Webhook> {
  return call('delete', '/api/tenants/{tenantId}/webhook', { path: { tenantId } });
}
