import '@mantine/core/styles/Popover.layer.css';
import '@mantine/core/styles/Menu.layer.css';
import { useEffect, useRef } from 'react';
import { Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDevices, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { Link } from 'react-router';
import { ACCOUNT_SECURITY_PATH } from '../../app/paths';
import { errorMessage } from '../../forms/apiErrors';
import { useLogout, useLogoutEverywhere, useSignedInUser } from '../auth/hooks';
import { AccountButton } from './AccountButton';

/**
 * The account menu (AppShell.tsx loads it after the shell: Mantine's Menu and Floating UI were
 * half of the shell's code, decision 0060). `openOnMount`: the stand-in button was pressed
 * before this arrived, so the menu opens as that press asked, with focus on its button.
 */
export function AccountMenu({ openOnMount }: { openOnMount: boolean }) {
  const user = useSignedInUser();
  const logout = useLogout();
  const logoutEverywhere = useLogoutEverywhere();
  const target = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (openOnMount) target.current?.focus();
    // Only on mount: the press it stands for happened once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Either way a full page load follows, so nothing of this session stays in memory.
  const signOut = () =>
    logout.mutate(undefined, {
      onSuccess: () => window.location.assign('/login'),
      onError: (error) =>
        notifications.show({ color: 'red', title: "Couldn't sign out", message: errorMessage(error) }),
    });
  const signOutEverywhere = () =>
    logoutEverywhere.mutate(undefined, {
      onSuccess: () => window.location.assign('/login'),
      onError: (error) =>
        notifications.show({ color: 'red', title: "Couldn't sign out everywhere", message: errorMessage(error) }),
    });

  return (
    <Menu position="bottom-end" shadow="md" width={260} defaultOpened={openOnMount}>
      <Menu.Target>
        <AccountButton ref={target} loading={logout.isPending || logoutEverywhere.isPending} />
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} to={ACCOUNT_SECURITY_PATH} leftSection={<IconShieldLock size={16} aria-hidden />}>
          Account security
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={signOut}>
          Sign out
        </Menu.Item>
        <Menu.Item leftSection={<IconDevices size={16} aria-hidden />} onClick={signOutEverywhere}>
          <div>Sign out everywhere</div>
          <Text size="xs" c="dimmed">
            Ends every session of {user.email}, on every device, including this one.
          </Text>
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
