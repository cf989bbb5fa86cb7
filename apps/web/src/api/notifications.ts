import { call, type Schema } from './client';

export type Notification = Schema<'NotificationDto'>;
export type NotificationPage = Schema<'NotificationPageDto'>;

/** Rotation reminders, newest first, with the tenant's unread count whatever the filter. */
export function listNotifications(
  tenantId: string,
  query: { cursor?: string | null; unread?: boolean; limit?: number },
  signal?: AbortSignal,
): Promise<NotificationPage> {
  return call('get', '/api/tenants/{tenantId}/notifications', {
    path: { tenantId },
    query: { cursor: query.cursor ?? undefined, unread: query.unread || undefined, limit: query.limit },
    signal,
  });
}

/** Reading one again keeps the first `readAt`. */
export function markNotificationRead(tenantId: string, id: string): Promise<Notification> {
  return call('post', '/api/tenants/{tenantId}/notifications/{id}/read', { path: { tenantId, id } });
}
