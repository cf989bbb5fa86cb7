import { ActionIcon, Indicator } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { Link, useMatch } from 'react-router';
import { tenantSectionPath } from '../../app/paths';
import { useSignedInUser } from '../auth/hooks';
import { useUnreadNotificationCount } from './hooks';

/**
 * The header's bell: unread rotation reminders of the tenant on screen, or of the admin's only
 * tenant. Hidden where there's no tenant to speak of (staff on the tenant list).
 */
export function NotificationBell() {
  const user = useSignedInUser();
  const routeTenant = useMatch('/tenants/:tenantId/*')?.params.tenantId;
  const onlyTenant = user.memberships.length === 1 ? user.memberships[0]!.tenantId : undefined;
  const tenantId = routeTenant ?? onlyTenant ?? null;
  const unread = useUnreadNotificationCount(tenantId);
  if (!tenantId) return null;

  const count = unread.data ?? 0;
  const label = count === 0 ? 'Notifications, none unread' : `Notifications, ${count} unread`;
  return (
    <Indicator label={count > 99 ? '99+' : count} size={16} disabled={count === 0} color="red" offset={4}>
      <ActionIcon
        component={Link}
        to={tenantSectionPath(tenantId, 'notifications')}
        variant="subtle"
        color="gray"
        size="lg"
        aria-label={label}
        title={label}
      >
        <IconBell size={20} aria-hidden />
      </ActionIcon>
    </Indicator>
  );
}
