import { MantineProvider } from '@mantine/core';
import { SSO_REFUSALS } from '@messenger-vault/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Session } from '../../api/sessions';
import { ssoRefusalMessage } from '../auth/SsoSignIn';
import { sessionKeys } from './hooks';
import { SessionsSection } from './SessionsSection';

const text = (html: string) =>
  html
    .replace(/<style[^>]*>.*?<\/style>/gs, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

/** Renders with the sessions query already answered (or failed), as the page would after loading. */
function render(node: ReactElement, sessions: Session[] | Error): string {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, retryOnMount: false, staleTime: Infinity } },
  });
  if (sessions instanceof Error) {
    const query = client.getQueryCache().build(client, { queryKey: sessionKeys.list() });
    query.setState({ status: 'error', error: sessions, fetchStatus: 'idle' });
  } else client.setQueryData(sessionKeys.list(), { sessions });
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <MantineProvider>{node}</MantineProvider>
    </QueryClientProvider>,
  );
}

const session = (over: Partial<Session>): Session => ({
  id: '00000000-0000-4000-8000-000000000001',
  device: { label: 'Chrome 131 on macOS', kind: 'desktop' },
  ip: '203.0.113.7',
  createdAt: '2026-12-01T10:00:00.000Z',
  lastSeenAt: '2026-12-07T10:00:00.000Z',
  signedInWith: 'password',
  current: true,
  ...over,
});

test('the sessions list names each device, marks this browser, and offers sign-out for the others only', () => {
  const html = render(<SessionsSection />, [
    session({}),
    session({
      id: '00000000-0000-4000-8000-000000000002',
      device: { label: 'Safari 17 on iOS 17.5', kind: 'mobile' },
      current: false,
      signedInWith: 'sso',
    }),
  ]);
  const words = text(html);
  expect(words).toContain('Chrome 131 on macOS This browser');
  expect(words).toContain('Safari 17 on iOS 17.5 SSO');
  expect(words).toContain('203.0.113.7');
  expect(html).toContain('aria-label="Sign out Safari 17 on iOS 17.5"');
  expect(html).not.toContain('aria-label="Sign out Chrome 131 on macOS"');
  expect(html).toMatch(/<button[^>]*>(?:(?!<\/button>).)*Sign out everywhere else/);
  expect(html).not.toMatch(/<button[^>]*disabled[^>]*>(?:(?!<\/button>).)*Sign out everywhere else/);
});

test('alone: says so and "sign out everywhere else" is disabled; a failed load says so with a retry', () => {
  const alone = render(<SessionsSection />, [session({})]);
  expect(text(alone)).toContain('You are signed in only here.');
  expect(alone).toMatch(/<button[^>]*disabled[^>]*>(?:(?!<\/button>).)*Sign out everywhere else/);
  const failed = text(render(<SessionsSection />, new Error('The server did not answer.')));
  expect(failed).toContain("Couldn't load your sessions");
  expect(failed).toContain('The server did not answer.');
  expect(failed).toContain('Try again');
});

test('every reason the API gives for refusing single sign-on has its own words; an unknown one a generic line', () => {
  const messages = SSO_REFUSALS.map((reason) => ssoRefusalMessage(reason));
  expect(messages.every((m) => typeof m === 'string' && m.length > 20)).toBe(true);
  expect(ssoRefusalMessage('domain_not_allowed')).toMatch(/domain/);
  expect(ssoRefusalMessage('<script>')).toBe('Single sign-on did not work. Try again.');
  expect(ssoRefusalMessage(null)).toBeNull();
});
