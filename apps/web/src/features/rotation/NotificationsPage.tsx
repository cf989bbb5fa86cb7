import { Badge, Button, Card, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications as toasts } from '@mantine/notifications';
import { useParams, useSearchParams } from 'react-router';
import type { Notification } from '../../api/notifications';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { errorMessage } from '../../forms/apiErrors';
import { useMarkNotificationRead, useNotifications } from './hooks';
import { useTenantReadOnly } from '../tenants/editLock';

const STAGES: Record<Notification['stage'], { label: string; color: string }> = {
  due_soon: { label: 'Due soon', color: 'yellow' },
  due: { label: 'Due today', color: 'orange' },
  overdue: { label: 'Overdue', color: 'red' },
  rotation_started: { label: 'Rotation started', color: 'blue' },
  rotated: { label: 'Rotated', color: 'green' },
  rotation_failed: { label: 'Rotation failed', color: 'red' },
};

/** `/tenants/:tenantId/notifications`: rotation reminders for this tenant's secret key. */
export function NotificationsPage() {
  const { tenantId = '' } = useParams();
  useDocumentTitle('Notifications · Messenger Vault');
  const [searchParams, setSearchParams] = useSearchParams();
  const unreadOnly = searchParams.get('show') === 'unread';
  const list = useNotifications(tenantId, { unread: unreadOnly });
  const unreadCount = list.data?.pages[0]?.unreadCount;

  return (
    <Stack gap="md" maw={860}>
      <Stack gap={4}>
        <Title order={2}>Notifications</Title>
        <Text c="dimmed">
          Reminders to rotate the secret key, ahead of its date and after it, and what automated rotations did. They are
          also sent by email and to your webhook when those are set up.
        </Text>
      </Stack>
      <Group justify="space-between">
        <Switch
          label="Unread only"
          checked={unreadOnly}
          onChange={(event) =>
            setSearchParams(event.currentTarget.checked ? { show: 'unread' } : {}, { replace: true })
          }
        />
        {unreadCount !== undefined && (
          <Text size="sm" c="dimmed" role="status">
            {unreadCount === 0 ? 'All read' : `${unreadCount} unread`}
          </Text>
        )}
      </Group>
      {list.isPending && <LoadingState label="Loading notifications…" />}
      {list.isError && (
        <ErrorState title="Couldn't load notifications" error={list.error} onRetry={() => list.refetch()} />
      )}
      {list.isSuccess && (
        <NotificationList
          tenantId={tenantId}
          items={list.data.pages.flatMap((page) => page.items)}
          unreadOnly={unreadOnly}
        />
      )}
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
            Load older notifications
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function NotificationList({
  tenantId,
  items,
  unreadOnly,
}: {
  tenantId: string;
  items: Notification[];
  unreadOnly: boolean;
}) {
  const markRead = useMarkNotificationRead(tenantId);
  const readOnly = useTenantReadOnly();
  if (items.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {unreadOnly
          ? 'Nothing unread.'
          : 'No reminders yet. They appear here as the secret key’s rotation date comes near.'}
      </Text>
    );
  }
  const read = (item: Notification) =>
    markRead.mutate(item.id, {
      onError: (error) => toasts.show({ color: 'red', title: "Couldn't mark it read", message: errorMessage(error) }),
    });
  return (
    <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
      {items.map((item) => (
        <Card key={item.id} component="li" withBorder padding="md" radius="md" aria-label={item.title}>
          <Stack gap={6}>
            <Group justify="space-between" gap="xs">
              <Group gap="xs">
                <Badge color={STAGES[item.stage].color} variant="light" autoContrast>
                  {STAGES[item.stage].label}
                </Badge>
                <Text fw={item.readAt ? 500 : 700}>{item.title}</Text>
                {!item.readAt && (
                  <Badge color="blue" variant="filled" size="xs">
                    New
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                <DateTime value={item.createdAt} />
              </Text>
            </Group>
            <Text size="sm">{item.message}</Text>
            <Group justify="space-between" gap="xs">
              <Text size="xs" c="dimmed">
                Key version {item.secretVersion}, rotation date <DateTime value={item.rotationDueAt} withTime={false} />
              </Text>
              {!item.readAt && (
                <Button
                  size="xs"
                  variant="default"
                  loading={markRead.isPending && markRead.variables === item.id}
                  onClick={() => read(item)}
                  disabled={readOnly}
                  aria-label={`Mark "${item.title}" as read`}
                >
                  Mark as read
                </Button>
              )}
            </Group>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
