// The styles of the Mantine components the shell, the tenant frame and the wizard's first step
// show, beyond the few main.tsx loads for the sign-in page. Every other signed-in page loads all
// of them with its code (app/allStyles.ts), so a component missing here only ever lacks its style
// on those screens: add it when one of them starts to use a new component (decision 0060).
import '@mantine/core/styles/AppShell.layer.css';
import '@mantine/core/styles/Burger.layer.css';
import '@mantine/core/styles/NavLink.layer.css';
import '@mantine/core/styles/Indicator.layer.css';
import '@mantine/core/styles/InlineInput.layer.css';
import '@mantine/core/styles/Switch.layer.css';
import '@mantine/core/styles/Badge.layer.css';
import '@mantine/core/styles/Stepper.layer.css';
import '@mantine/core/styles/Grid.layer.css';
import '@mantine/core/styles/Card.layer.css';
import '@mantine/core/styles/Code.layer.css';
import '@mantine/core/styles/List.layer.css';
import { lazy, type MouseEvent, Suspense, useState } from 'react';
import { Anchor, Burger, Group, AppShell as MantineAppShell, NavLink, Text, useMantineTheme } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconBuilding, IconListDetails, IconPlugConnected } from '@tabler/icons-react';
import { Link, NavLink as RouterNavLink, Outlet, useMatch } from 'react-router';
import { STAFF_AUDIT_PATH, STAFF_INTEGRATIONS_PATH, TENANTS_PATH } from '../../app/paths';
import { LoadingState } from '../../components/PageStates';
import { useSignedInUser } from '../auth/hooks';
import { NotificationBell } from '../rotation/NotificationBell';
import { AccountButton } from './AccountButton';
import classes from './AppShell.module.css';

// Mantine's Menu and Floating UI were half of the shell's code; the menu follows the shell (decision 0060).
const AccountMenu = lazy(() => import('./AccountMenu').then((module) => ({ default: module.AccountMenu })));

const NAVBAR_BREAKPOINT = 'sm';

/** The frame of every signed-in page: header, navigation, and the page itself. */
export function AppShell() {
  const user = useSignedInUser();
  const [navOpened, nav] = useDisclosure(false);
  const theme = useMantineTheme();
  const navbarAlwaysShown = useMediaQuery(`(min-width: ${theme.breakpoints[NAVBAR_BREAKPOINT]})`, undefined, {
    getInitialValueInEffect: false,
  });
  const inTenants = useMatch(`${TENANTS_PATH}/*`) !== null;
  const inIntegrations = useMatch(STAFF_INTEGRATIONS_PATH) !== null;
  const inAudit = useMatch(STAFF_AUDIT_PATH) !== null;

  return (
    <MantineAppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: NAVBAR_BREAKPOINT, collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <a href="#main-content" className={classes.skipLink} onClick={skipToContent}>
        Skip to content
      </a>
      <MantineAppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom={NAVBAR_BREAKPOINT}
              size="sm"
              aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={navOpened}
              aria-controls="main-navigation"
            />
            <Anchor component={Link} to="/" fw={700} c="inherit" underline="never">
              Messenger Vault
            </Anchor>
          </Group>
          <SignedInUser />
        </Group>
      </MantineAppShell.Header>

      <MantineAppShell.Navbar
        id="main-navigation"
        aria-label="Main"
        p="xs"
        // Off-screen on a phone while closed: keep its links out of the Tab order too.
        inert={!navbarAlwaysShown && !navOpened}
      >
        <NavLink
          component={RouterNavLink}
          to={TENANTS_PATH}
          label="Tenants"
          leftSection={<IconBuilding size={18} aria-hidden />}
          active={inTenants}
          // On a phone the navbar covers the page: close it once a page is chosen.
          onClick={nav.close}
        />
        {user.isStaff && (
          <>
            <NavLink
              component={RouterNavLink}
              to={STAFF_INTEGRATIONS_PATH}
              label="Integrations"
              leftSection={<IconPlugConnected size={18} aria-hidden />}
              active={inIntegrations}
              onClick={nav.close}
            />
            <NavLink
              component={RouterNavLink}
              to={STAFF_AUDIT_PATH}
              label="Audit log"
              leftSection={<IconListDetails size={18} aria-hidden />}
              active={inAudit}
              onClick={nav.close}
            />
          </>
        )}
        <MantineAppShell.Section mt="auto" hiddenFrom="xs" pt="md">
          <Text size="xs" c="dimmed">
            Signed in as
          </Text>
          <Text size="sm" truncate="end">
            {user.email}
          </Text>
        </MantineAppShell.Section>
      </MantineAppShell.Navbar>

      <MantineAppShell.Main id="main-content" tabIndex={-1}>
        <Suspense fallback={<LoadingState label="Loading…" />}>
          <Outlet />
        </Suspense>
      </MantineAppShell.Main>
    </MantineAppShell>
  );
}

/** Moves focus itself rather than following the hash, which the router would treat as navigation. */
function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('main-content')?.focus();
}

function SignedInUser() {
  const user = useSignedInUser();
  const [openOnMount, setOpenOnMount] = useState(false);

  return (
    <Group gap="sm" wrap="nowrap" miw={0}>
      <NotificationBell />
      <Text size="sm" c="dimmed" truncate="end" visibleFrom="xs" title={user.email}>
        {user.email}
      </Text>
      <Suspense
        fallback={<AccountButton aria-haspopup="menu" aria-expanded={false} onClick={() => setOpenOnMount(true)} />}
      >
        <AccountMenu openOnMount={openOnMount} />
      </Suspense>
    </Group>
  );
}
