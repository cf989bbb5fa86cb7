import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import type { IntercomConnection } from '../../api/intercomConnection';
import type { Rotation } from '../../api/intercomRotations';
import { TenantReadOnlyProvider } from '../tenants/editLock';
import { intercomConnectionKeys, rotationKeys } from './hooks';
import { activeStep, RotationCard } from './RotationCard';

const TENANT = '6f1c1a52-2b8e-4c55-9d1e-0d3c1d7e9a10';

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

const run = (over: Partial<Rotation>): Rotation => ({
  id: '0b9f7a52-2b8e-4c55-9d1e-0d3c1d7e9a10',
  state: 'creating',
  trigger: 'manual',
  items: [
    {
      oldVersion: 1,
      platforms: ['web', 'ios', 'android'],
      newVersion: null,
      newIntercomSecretId: null,
      oldIntercomSecretId: '7001',
      oldDeleted: false,
      removeByHand: false,
    },
  ],
  reason: null,
  lastError: null,
  attempts: 0,
  nextAttemptAt: null,
  overlapSeconds: 3900,
  overlapEndsAt: null,
  finishedEarly: false,
  timeline: [{ state: 'creating', at: '2026-12-07T10:00:00.000Z' }],
  createdAt: '2026-12-07T10:00:00.000Z',
  finishedAt: null,
  ...over,
});

function render(connection: IntercomConnection, rotation: Rotation | null): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(intercomConnectionKeys.detail(TENANT), connection);
  client.setQueryData(rotationKeys.latest(TENANT), rotation);
  return renderToStaticMarkup(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <TenantReadOnlyProvider readOnly={false}>
          <RotationCard tenantId={TENANT} />
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
const rotateButton = (html: string) => /<button[^>]*>(?:(?!<\/button>)[\s\S])*Rotate now/.exec(html)?.[0] ?? '';

test('connected, nothing run yet: "Rotate now" is offered; without a connection it says what to do first', () => {
  const ready = render(CONNECTED, null);
  expect(rotateButton(ready)).not.toMatch(/disabled/);
  expect(text(ready)).not.toContain('Connect the Intercom workspace in step 1 first');

  const alone = render({ connected: false, oauthAvailable: false }, null);
  expect(rotateButton(alone)).toMatch(/disabled/);
  expect(text(alone)).toContain('Connect the Intercom workspace in step 1 first');

  const broken = render({ ...CONNECTED, broken: { at: '2026-12-07T11:00:00.000Z', reason: 'unauthorized' } }, null);
  expect(rotateButton(broken)).toMatch(/disabled/);
  expect(text(broken)).toContain('reconnect in step 1 first');
});

test('overlapping: the timeline has reached the overlap, says when the old secret goes, and offers "Finish now"', () => {
  const html = render(
    CONNECTED,
    run({
      state: 'overlapping',
      overlapEndsAt: '2026-12-07T11:05:00.000Z',
      items: [{ ...run({}).items[0]!, newVersion: 2, newIntercomSecretId: '7002' }],
      timeline: [
        { state: 'creating', at: '2026-12-07T10:00:00.000Z' },
        { state: 'overlapping', at: '2026-12-07T10:00:02.000Z' },
      ],
    }),
  );
  const shown = text(html);
  expect(shown).toContain('Overlapping');
  expect(shown).toMatch(/The old secret is deleted at .* unless you finish now/);
  expect(shown).toMatch(/Version 1 → version 2 \( ?Web, iOS, Android ?\)/);
  expect(shown).toContain('Finish now');
  expect(html).toMatch(/data-state="creating" data-reached="true"|data-reached="true"[^>]*data-state="creating"/);
  expect(html).toMatch(
    /data-state="deleting_old" data-reached="false"|data-reached="false"[^>]*data-state="deleting_old"/,
  );
  expect(rotateButton(html)).toMatch(/disabled/); // one run at a time
});

test('failed: the reason is shown where the run stopped; done: every step checked, no "Finish now"', () => {
  const failed = run({
    state: 'failed',
    reason: 'Intercom refused the token (401): connect again in step 1.',
    timeline: [
      { state: 'creating', at: '2026-12-07T10:00:00.000Z' },
      { state: 'failed', at: '2026-12-07T10:00:01.000Z' },
    ],
    finishedAt: '2026-12-07T10:00:01.000Z',
  });
  expect(activeStep(failed)).toBe(0);
  const shown = text(render(CONNECTED, failed));
  expect(shown).toContain('The rotation failed');
  expect(shown).toContain('Intercom refused the token (401)');
  expect(shown).not.toContain('Finish now');

  const done = run({ state: 'done', finishedAt: '2026-12-07T11:05:00.000Z' });
  expect(activeStep(done)).toBe(3);
  expect(text(render(CONNECTED, done))).not.toContain('Finish now');
  expect(activeStep(run({ state: 'deleting_old' }))).toBe(2);
});

test("retrying: Intercom's last error and the next try are shown while the run waits", () => {
  const shown = text(
    render(CONNECTED, run({ lastError: '429: rate limited', attempts: 2, nextAttemptAt: '2026-12-07T10:01:00.000Z' })),
  );
  expect(shown).toContain("Intercom didn't answer; trying again");
  expect(shown).toMatch(/429: rate limited \(attempt 2\)/);
});
