import type { SecretVersion } from '@messenger-vault/contracts';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import type { IntercomConnection } from '../../api/intercomConnection';
import { TenantReadOnlyProvider } from '../tenants/editLock';
import { intercomConnectionKeys } from './hooks';
import { IntercomSecretsTable } from './IntercomSecretsTable';

const TENANT = '6f1c1a52-2b8e-4c55-9d1e-0d3c1d7e9a10';

const version = (n: number, state: SecretVersion['state'] = 'active'): SecretVersion => ({
  version: n,
  platforms: ['web', 'ios', 'android'],
  signingPlatforms: state === 'active' ? ['web'] : [],
  state,
  fingerprint: `sha256:${n}`,
  last4: `abc${n}`,
  masterKeyId: 'k1',
  createdAt: '2026-12-01T10:00:00.000Z',
  createdBy: null,
  rotationDueAt: null,
  retiredAt: null,
});

const CONNECTED: IntercomConnection = {
  connected: true,
  oauthAvailable: false,
  appId: 'xyz123',
  region: 'us',
  workspaceName: 'Acme',
  identityVerification: true,
  connectedAt: '2026-12-07T10:00:00.000Z',
  connectedVia: 'token',
  broken: null,
  intercomSecrets: [],
  intercomSecretsError: null,
};

function render(connection: IntercomConnection | undefined, versions: SecretVersion[] = [version(1)]): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  if (connection) client.setQueryData(intercomConnectionKeys.detail(TENANT), connection);
  return renderToStaticMarkup(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <TenantReadOnlyProvider readOnly={false}>
          <IntercomSecretsTable tenantId={TENANT} versions={versions} />
        </TenantReadOnlyProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}
const text = (html: string) =>
  html
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

test('loading, not connected and empty each say what is going on', () => {
  expect(text(render(undefined))).toContain("Asking Intercom for the workspace's secrets");
  expect(text(render({ connected: false, oauthAvailable: false }))).toMatch(/Connect the Intercom workspace in step 1/);
  expect(text(render(CONNECTED))).toContain('Intercom lists no identity verification secrets');
});

test("Intercom's error is shown with its message and a way to ask again, not an empty table", () => {
  const shown = text(
    render({
      ...CONNECTED,
      intercomSecretsError: { code: 'intercom_unavailable', message: 'Intercom could not list the secrets (500).' },
    }),
  );
  expect(shown).toContain("Intercom didn't list the workspace's secrets");
  expect(shown).toContain('Intercom could not list the secrets (500).');
  expect(shown).toContain('Ask Intercom again');
  expect(shown).not.toContain('lists no identity verification secrets');
});

test('a linked secret shows its version and Unlink; an unlinked one offers the live versions to link', () => {
  const html = render(
    {
      ...CONNECTED,
      intercomSecrets: [
        { id: '7001', name: 'Web key', platforms: ['web'], createdAt: '2026-11-01T00:00:00.000Z', linkedVersion: 2 },
        { id: '7002', name: 'Apps key', platforms: ['ios', 'android'], createdAt: null, linkedVersion: null },
      ],
    },
    [version(3), version(2), version(1, 'retired')],
  );
  const shown = text(html);
  expect(shown).toMatch(/Web key id 7001 Web .* Version 2 Unlink/);
  expect(shown).toMatch(/Apps key id 7002 iOS Android/);
  expect(html).toContain('aria-label="Key version of Apps key"');
  expect(html).toMatch(/<option value="3"[^>]*>Version 3 \(…abc3\)<\/option>/);
  expect(html).not.toMatch(/<option value="1"/); // a retired version is not offered
  expect(shown).toContain('Link');
});

test('with no live version yet, linking waits for a saved key', () => {
  const shown = text(
    render(
      {
        ...CONNECTED,
        intercomSecrets: [{ id: '7001', name: 'Web key', platforms: ['web'], createdAt: null, linkedVersion: null }],
      },
      [],
    ),
  );
  expect(shown).toContain('Save the key above first');
});
