import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listNotifications, markNotificationRead } from '../../api/notifications';
import { deleteWebhook, getWebhook, setWebhook } from '../../api/webhook';

export const notificationKeys = {
  all: ['notifications'] as const,
  tenant: (tenantId: string) => [...notificationKeys.all, tenantId] as const,
  list: (tenantId: string, filters: { unread: boolean }) =>
    [...notificationKeys.tenant(tenantId), 'list', filters] as const,
  unreadCount: (tenantId: string) => [...notificationKeys.tenant(tenantId), 'unread-count'] as const,
};

export const webhookKeys = {
  detail: (tenantId: string) => ['webhook', tenantId] as const,
};

export function useNotifications(tenantId: string, { unread }: { unread: boolean }) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(tenantId, { unread }),
    queryFn: ({ pageParam, signal }) => listNotifications(tenantId, { cursor: pageParam, unread }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

/** For the bell in the header: one tiny page, for its `unreadCount`. Refreshed every few minutes. */
export function useUnreadNotificationCount(tenantId: string | null) {
  return useQuery({
    queryKey: notificationKeys.unreadCount(tenantId ?? ''),
    queryFn: ({ signal }) => listNotifications(tenantId!, { unread: true, limit: 1 }, signal),
    select: (page) => page.unreadCount,
    enabled: tenantId !== null,
    refetchInterval: 5 * 60 * 1000,
  });
}

export function useMarkNotificationRead(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => markNotificationRead(tenantId, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.tenant(tenantId) }),
  });
}

/** `null` while the tenant has no webhook. */
export function useWebhook(tenantId: string) {
  return useQuery({
    queryKey: webhookKeys.detail(tenantId),
    queryFn: ({ signal }) => getWebhook(tenantId, signal),
  });
}

/** The answer carries the signing secret, shown once; only the URL part is cached. */
export function useSetWebhook(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (url: string) => setWebhook(tenantId, url),
    onSuccess: ({ id, url, createdAt }) =>
      queryClient.setQueryData(webhookKeys.detail(tenantId), { id, url, createdAt }),
  });
}

export function useDeleteWebhook(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => deleteWebhook(tenantId),
    onSuccess: () => queryClient.setQueryData(webhookKeys.detail(tenantId), null),
  });
}
