import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import type { IntercomConnection } from '../../api/intercomConnection';
import { TenantReadOnlyProvider } from '../tenants/editLock';
import { intercomConnectionKeys } from './hooks';
import { IntercomConnectionCard, IntercomVerificationEvidence } from './IntercomConnectionCard';

const TENANT = '6f1c1a52-2b8e-4c55-9d1e-0d3c1d7e9a10';

/** The card as the server renders it, with the connection already in the query cache (or not). */
function render(connection: IntercomConnection | undefined, readOnly = false): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  if (connection) client.setQueryData(intercomConnectionKeys.detail(TENANT), connection);
  const html = renderToStaticMarkup(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <TenantReadOnlyProvider readOnly={readOnly}>
          <IntercomConnectionCard tenantId={TENANT} />
        </TenantReadOnlyProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return html;
}
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

test('not connected: says so, explains where the token comes from, offers Connect', () => {
  const shown = text(render({ connected: false, oauthAvailable: false }));
  expect(shown).toContain('Not connected');
  expect(shown).toMatch(/Configure &gt; Authentication &gt; Access token/);
  expect(shown).toContain('Connect');
  expect(shown).not.toContain('Disconnect');
});

test("connected: Intercom's evidence — workspace name, APP_ID, region, identity verification — and Disconnect", () => {
  const on = text(
    render({
      connected: true,
      oauthAvailable: false,
      appId: 'xyz123',
      region: 'eu',
      workspaceName: 'Acme Support',
      identityVerification: true,
      connectedAt: '2026-12-07T10:00:00.000Z',
    }),
  );
  expect(on).toMatch(/Connected to Acme Support , APP_ID xyz123 in the Europe region/);
  expect(on).toMatch(/Identity verification in Intercom: On/);
  expect(on).toContain('Disconnect');
  expect(on).toContain('Replace token');
  const off = text(
    render({
      connected: true,
      oauthAvailable: false,
      appId: 'xyz123',
      region: 'us',
      workspaceName: 'Acme Support',
      identityVerification: false,
      connectedAt: '2026-12-07T10:00:00.000Z',
    }),
  );
  expect(off).toMatch(/Identity verification in Intercom: Off/);
  expect(off).toMatch(/Identity verification is off in Intercom/);
});

test('while loading it says what it is waiting for; read-only staff get a disabled form', () => {
  expect(text(render(undefined))).toContain('Checking the Intercom connection');
  expect(render({ connected: false, oauthAvailable: false }, true)).toMatch(/<fieldset[^>]*disabled/);
});

test("step 3's evidence: what Intercom said of identity verification, and nothing without a connection", () => {
  const evidence = (connection: IntercomConnection) => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    client.setQueryData(intercomConnectionKeys.detail(TENANT), connection);
    return text(
      renderToStaticMarkup(
        <MantineProvider>
          <QueryClientProvider client={client}>
            <IntercomVerificationEvidence tenantId={TENANT} />
          </QueryClientProvider>
        </MantineProvider>,
      ),
    ).replace(/@media[^}]*}}/g, '');
  };
  expect(evidence({ connected: false, oauthAvailable: false }).trim()).toBe('');
  const off = evidence({
    connected: true,
    oauthAvailable: false,
    appId: 'xyz123',
    region: 'us',
    workspaceName: 'Acme Support',
    identityVerification: false,
    connectedAt: '2026-12-07T10:00:00.000Z',
  });
  expect(off).toMatch(/Intercom says: identity verification is off/);
  expect(off).toMatch(/Acme Support \(APP_ID xyz123 \)/);
});

test('with OAuth configured: "Connect with Intercom" next to the token form; nothing like it otherwise', () => {
  const offered = text(render({ connected: false, oauthAvailable: true }));
  expect(offered).toContain('Connect with Intercom');
  expect(offered).toMatch(/Intercom access token/);
  expect(text(render({ connected: false, oauthAvailable: false }))).not.toContain('Connect with Intercom');
});

test('broken: says Intercom refuses the stored token since when and why, and calls to reconnect', () => {
  const shown = text(
    render({
      connected: true,
      oauthAvailable: true,
      appId: 'xyz123',
      region: 'us',
      workspaceName: 'Acme Support',
      identityVerification: true,
      connectedAt: '2026-12-07T10:00:00.000Z',
      connectedVia: 'oauth',
      broken: { at: '2026-12-07T11:00:00.000Z', reason: 'unauthorized: Access Token Invalid' },
    }),
  );
  expect(shown).toContain('Intercom no longer accepts this connection');
  expect(shown).toContain('unauthorized: Access Token Invalid');
  expect(shown).toContain('Reconnect with Intercom');
  expect(shown).toContain('Replace token');
  const healthy = text(
    render({
      connected: true,
      oauthAvailable: true,
      appId: 'xyz123',
      region: 'us',
      workspaceName: 'Acme Support',
      identityVerification: true,
      connectedAt: '2026-12-07T10:00:00.000Z',
      connectedVia: 'oauth',
      broken: null,
    }),
  );
  expect(healthy).not.toContain('no longer accepts');
  expect(healthy).toContain('(Connect with Intercom)');
  expect(healthy).toContain('Connect again with Intercom');
});
