/**
 * @jest-environment jsdom
 */
// The token client driving Intercom's official npm package, @intercom/messenger-js-sdk, unmocked.
// Its loader installs window.Intercom as a queue and adds the widget's <script>; jsdom does not
// fetch scripts, so the widget never loads and every call stays in the queue, where the test reads
// it: what the Messenger would receive, in order.
import type * as Sdk from '@intercom/messenger-js-sdk';
import type * as TokenClientModule from './index';
import { alice, APP_ID, bob, issuingFetch, jwt, makeClient, T0 } from './test-support';

// Every browser has TextDecoder (the client decodes the JWT's payload with it); jsdom does not.
globalThis.TextDecoder ??= jest.requireActual<{ TextDecoder: typeof TextDecoder }>('node:util').TextDecoder;

let sdk: typeof Sdk;
let bootIntercom: typeof TokenClientModule.bootIntercom;

type Queued = [command: string, settings?: Record<string, unknown>];
/** The loader's queue: each call's `arguments`, as arrays. */
function queued(): Queued[] {
  const intercom = (window as unknown as { Intercom?: { q?: ArrayLike<unknown>[] } }).Intercom;
  return (intercom?.q ?? []).map((args) => Array.from(args) as Queued);
}
const settings = () => (window as unknown as { intercomSettings?: Record<string, unknown> }).intercomSettings;

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
  // A fresh page: the SDK keeps its queue in module state, and the token client its booted Messenger.
  jest.resetModules();
  delete (window as unknown as { Intercom?: unknown }).Intercom;
  delete (window as unknown as { intercomSettings?: unknown }).intercomSettings;
  document.head.innerHTML = '<script src="/app.js"></script>'; // the loader inserts before the first script
  sdk = jest.requireActual('@intercom/messenger-js-sdk');
  ({ bootIntercom } = jest.requireActual<typeof TokenClientModule>('./index'));
});

afterEach(() => {
  jest.useRealTimers();
});

test('first boot goes through the SDK loader: the JWT and the EU api_base are in intercomSettings, nothing queued', async () => {
  const { client } = makeClient({ fetchToken: issuingFetch() });

  await bootIntercom(sdk, { apiBase: 'https://api-iam.eu.intercom.io', user: alice, client });

  const token = jwt(await client.getToken(alice));
  expect(settings()).toEqual({
    app_id: APP_ID,
    api_base: 'https://api-iam.eu.intercom.io',
    user_id: alice.user_id,
    intercom_user_jwt: token.token,
    installation_type: 'npm-package',
  });
  const script = document.getElementById('_intercom_npm_loader') as HTMLScriptElement;
  expect(script.src).toBe(`https://widget.intercom.io/widget/${APP_ID}`);
  expect(typeof window.Intercom).toBe('function');
  expect(queued()).toEqual([]);
});

test('refresh → update with the new JWT; another user → shutdown, then boot with their JWT; sign-out → shutdown', async () => {
  const { client } = makeClient({ fetchToken: issuingFetch() });
  const apiBase = 'https://api-iam.eu.intercom.io';
  await bootIntercom(sdk, { apiBase, user: alice, client });

  await jest.advanceTimersByTimeAsync(3_600_000 - 60_000);
  const refreshed = jwt(await client.getToken(alice));

  const session = await bootIntercom(sdk, { apiBase, user: bob, client });
  const bobToken = jwt(await client.getToken(bob));
  session.shutdown();

  expect(queued()).toEqual([
    ['update', { user_id: alice.user_id, intercom_user_jwt: refreshed.token }],
    ['shutdown'],
    ['boot', { app_id: APP_ID, api_base: apiBase, user_id: bob.user_id, intercom_user_jwt: bobToken.token }],
    ['shutdown'],
  ]);
  expect(refreshed.token).not.toBe(bobToken.token);
});

test("with 60 s tokens the queue gets at most 18 updates in any 30 minutes (Intercom's limit is about 20)", async () => {
  const { client, errors } = makeClient({ fetchToken: issuingFetch(60) });
  const session = await bootIntercom(sdk, { user: alice, client });
  const at: number[] = [];
  let seen = 0;
  for (let second = 10; second <= 3600; second += 10) {
    await jest.advanceTimersByTimeAsync(10_000);
    const updates = queued().filter(([command]) => command === 'update').length;
    for (; seen < updates; seen += 1) at.push(second);
  }
  session.shutdown();

  expect(at.length).toBeGreaterThanOrEqual(35);
  const most = Math.max(...at.map((start) => at.filter((t) => t >= start && t < start + 1800).length));
  expect(most).toBeLessThanOrEqual(18);
  expect(errors).toMatchObject([{ code: 'throttled' }]);
});
