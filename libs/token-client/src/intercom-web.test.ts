import { bootIntercom, type IntercomApi, type IntercomFunction, type IntercomSession } from './index';
import {
  alice,
  APP_ID,
  bob,
  HASH_A,
  issuingFetch,
  jwt,
  makeClient,
  manualFetch,
  jwtResponse,
  scriptedFetch,
  settle,
  T0,
} from './test-support';

const API_BASE = 'https://api-iam.eu.intercom.io';

function intercomSpy() {
  return jest.fn<ReturnType<IntercomFunction>, Parameters<IntercomFunction>>();
}

// One Messenger per page: every test signs out what it booted.
const sessions: IntercomSession[] = [];
async function boot(...args: Parameters<typeof bootIntercom>): Promise<IntercomSession> {
  const session = await bootIntercom(...args);
  sessions.push(session);
  return session;
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.shutdown();
  delete (globalThis as { Intercom?: unknown }).Intercom;
  jest.useRealTimers();
});

const commands = (spy: ReturnType<typeof intercomSpy>) => spy.mock.calls.map(([command]) => command);

describe('bootIntercom', () => {
  test('boots the Messenger with api_base, app_id, user_id and intercom_user_jwt (JWT mode)', async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const intercom = intercomSpy();

    await boot(intercom, {
      appId: APP_ID,
      apiBase: API_BASE,
      user: alice,
      client,
      settings: { hide_default_launcher: true },
    });

    const token = jwt(await client.getToken(alice));
    expect(intercom.mock.calls).toEqual([
      [
        'boot',
        {
          hide_default_launcher: true,
          api_base: API_BASE,
          app_id: APP_ID,
          user_id: alice.user_id,
          intercom_user_jwt: token.token,
        },
      ],
    ]);
  });

  test('in HMAC mode the boot carries user_hash with user_id, email and name, and no JWT', async () => {
    const { client } = makeClient({ fetchToken: scriptedFetch(() => ({ user_hash: HASH_A, app_id: APP_ID })) });
    const intercom = intercomSpy();

    await boot(intercom, { user: alice, client });

    expect(intercom.mock.calls).toEqual([
      ['boot', { app_id: APP_ID, user_id: alice.user_id, email: alice.email, name: alice.name, user_hash: HASH_A }],
    ]);
  });

  test("every refreshed token is pushed with Intercom('update', {user_id, intercom_user_jwt})", async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const intercom = intercomSpy();
    await boot(intercom, { apiBase: API_BASE, user: alice, client });

    await jest.advanceTimersByTimeAsync(3_600_000 - 60_000);

    const fresh = jwt(await client.getToken(alice));
    expect(intercom).toHaveBeenCalledTimes(2);
    expect(intercom).toHaveBeenLastCalledWith('update', { user_id: alice.user_id, intercom_user_jwt: fresh.token });
  });

  test("the app's own update() carries the current JWT, which its settings cannot override", async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const intercom = intercomSpy();
    const session = await boot(intercom, { user: alice, client });

    await session.update({ last_request_at: 1, intercom_user_jwt: 'stale', user_id: 'spoofed' });

    const token = jwt(await client.getToken(alice));
    expect(intercom).toHaveBeenLastCalledWith('update', {
      last_request_at: 1,
      user_id: alice.user_id,
      intercom_user_jwt: token.token,
    });
  });

  test("shutdown() (sign-out) stops pushing tokens, calls Intercom('shutdown') and clears the client", async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });
    const intercom = intercomSpy();
    const session = await boot(intercom, { user: alice, client });

    session.shutdown();
    session.shutdown();
    await jest.advanceTimersByTimeAsync(3_600_000);

    expect(commands(intercom)).toEqual(['boot', 'shutdown']);
    expect(jest.getTimerCount()).toBe(0);
    await client.getToken(alice);
    expect(fetchToken).toHaveBeenCalledTimes(2); // the token went with the sign-out
  });

  test('an appId other than the one the token was issued for is refused before anything is booted', async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const intercom = intercomSpy();

    await expect(bootIntercom(intercom, { appId: 'zzz99999', user: alice, client })).rejects.toMatchObject({
      code: 'app_mismatch',
    });
    expect(intercom).not.toHaveBeenCalled();
  });

  test('when the token cannot be had, nothing is booted', async () => {
    const { client } = makeClient({
      fetchToken: scriptedFetch(() => Object.assign(new Error('Unauthorized'), { status: 401 })),
    });
    const intercom = intercomSpy();

    await expect(bootIntercom(intercom, { user: alice, client })).rejects.toMatchObject({ status: 401 });
    expect(intercom).not.toHaveBeenCalled();
  });
});

describe('user switches and changed details (Intercom: shutdown, then boot with a new JWT)', () => {
  test('another user: the first is shut down before the new token is even asked for, then booted with its JWT', async () => {
    const { fetchToken, calls } = manualFetch();
    const { client } = makeClient({ fetchToken });
    const intercom = intercomSpy();
    const first = boot(intercom, { user: alice, client });
    calls[0]!.resolve(jwtResponse(alice.user_id, 3600, Date.now(), 1));
    const aliceSession = await first;

    const second = boot(intercom, { user: bob, client });
    await settle();
    // Bob's request is still on its way: Alice's session is already gone.
    expect(commands(intercom)).toEqual(['boot', 'shutdown']);
    calls[1]!.resolve(jwtResponse(bob.user_id, 3600, Date.now(), 2));
    await second;

    const bobToken = jwt(await client.getToken(bob));
    expect(intercom.mock.calls.slice(1)).toEqual([
      ['shutdown'],
      ['boot', { app_id: APP_ID, user_id: bob.user_id, intercom_user_jwt: bobToken.token }],
    ]);
    // Alice's old session object can no longer touch Bob's Messenger.
    aliceSession.shutdown();
    await aliceSession.update({ x: 1 });
    expect(intercom).toHaveBeenCalledTimes(3);
  });

  test('the same user with a new email or name is signed again and sent with update, without a new boot', async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });
    const intercom = intercomSpy();
    const session = await boot(intercom, { user: alice, client });

    const renamed = { ...alice, email: 'alice@new.example.com', name: 'Alice B' };
    const again = await boot(intercom, { user: renamed, client });

    expect(again).toBe(session);
    expect(fetchToken).toHaveBeenLastCalledWith(renamed, expect.anything());
    const resigned = jwt(await client.getToken(renamed));
    expect(intercom.mock.calls).toEqual([
      ['boot', expect.objectContaining({ user_id: alice.user_id })],
      ['update', { user_id: alice.user_id, intercom_user_jwt: resigned.token }],
    ]);
    // Refreshes now sign the new details; the app's update() too.
    await session.update();
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('in HMAC mode a changed email is sent with update; the same user unchanged sends nothing', async () => {
    const { client } = makeClient({ fetchToken: scriptedFetch(() => ({ user_hash: HASH_A, app_id: APP_ID })) });
    const intercom = intercomSpy();
    await boot(intercom, { user: alice, client });

    await boot(intercom, { user: { ...alice }, client });
    expect(commands(intercom)).toEqual(['boot']);

    await boot(intercom, { user: { ...alice, email: 'alice@new.example.com' }, client });
    expect(intercom.mock.calls[1]).toEqual([
      'update',
      { user_id: alice.user_id, email: 'alice@new.example.com', name: alice.name, user_hash: HASH_A },
    ]);
  });

  test('a new token client for the same user is a new session: shutdown, then boot', async () => {
    const intercom = intercomSpy();
    await boot(intercom, { user: alice, client: makeClient({ fetchToken: issuingFetch() }).client });
    await boot(intercom, { user: alice, client: makeClient({ fetchToken: issuingFetch() }).client });
    expect(commands(intercom)).toEqual(['boot', 'shutdown', 'boot']);
  });
});

describe('where the Messenger is', () => {
  test("without a target, window.Intercom is looked up at each call (the loader's queue is replaced later)", async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const queue = intercomSpy();
    const widget = intercomSpy();
    (globalThis as { Intercom?: unknown }).Intercom = queue;
    const session = await boot(undefined, { user: alice, client });

    (globalThis as { Intercom?: unknown }).Intercom = widget; // the Messenger has loaded
    await jest.advanceTimersByTimeAsync(3_600_000 - 60_000);
    session.shutdown();

    expect(commands(queue)).toEqual(['boot']);
    expect(commands(widget)).toEqual(['update', 'shutdown']);
  });

  test('without a target and without window.Intercom: no_messenger, and the app can tell', async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    await expect(bootIntercom(undefined, { user: alice, client })).rejects.toMatchObject({ code: 'no_messenger' });
  });

  test('an SDK-shaped target whose loader has not run boots through its Intercom({...}) with the region', async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const sdk = { Intercom: jest.fn(), boot: jest.fn(), update: jest.fn(), shutdown: jest.fn() } satisfies IntercomApi;
    await boot(sdk, { apiBase: 'https://api-iam.au.intercom.io', user: alice, client });

    const token = jwt(await client.getToken(alice));
    expect(sdk.Intercom).toHaveBeenCalledWith({
      app_id: APP_ID,
      api_base: 'https://api-iam.au.intercom.io',
      region: 'ap',
      user_id: alice.user_id,
      intercom_user_jwt: token.token,
    });
    expect(sdk.boot).not.toHaveBeenCalled();
  });
});
