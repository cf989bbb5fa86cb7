import { bootIntercom, type IntercomFunction } from './index';
import { alice, APP_ID, HASH_A, issuingFetch, makeClient, scriptedFetch, T0 } from './test-support';

const API_BASE = 'https://api-iam.eu.intercom.io';

function intercomSpy() {
  return jest.fn<ReturnType<IntercomFunction>, Parameters<IntercomFunction>>();
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('bootIntercom', () => {
  test('boots the Messenger with api_base, app_id, user_id and intercom_user_jwt (JWT mode)', async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const intercom = intercomSpy();

    await bootIntercom(intercom, {
      appId: APP_ID,
      apiBase: API_BASE,
      user: alice,
      client,
      settings: { hide_default_launcher: true },
    });

    const token = await client.getToken(alice);
    expect(intercom.mock.calls).toEqual([
      [
        'boot',
        {
          hide_default_launcher: true,
          api_base: API_BASE,
          app_id: APP_ID,
          user_id: alice.user_id,
          intercom_user_jwt: token.mode === 'jwt' ? token.token : 'not a jwt',
        },
      ],
    ]);
  });

  test('in HMAC mode the boot carries user_hash with user_id, email and name, and no JWT', async () => {
    const { client } = makeClient({ fetchToken: scriptedFetch(() => ({ user_hash: HASH_A, app_id: APP_ID })) });
    const intercom = intercomSpy();

    await bootIntercom(intercom, { user: alice, client });

    expect(intercom).toHaveBeenCalledWith('boot', {
      app_id: APP_ID,
      user_id: alice.user_id,
      email: alice.email,
      name: alice.name,
      user_hash: HASH_A,
    });
  });

  test("every refreshed token is pushed with Intercom('update', {user_id, intercom_user_jwt})", async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const intercom = intercomSpy();
    await bootIntercom(intercom, { apiBase: API_BASE, user: alice, client });

    await jest.advanceTimersByTimeAsync(3_600_000 - 60_000);

    const fresh = await client.getToken(alice);
    expect(intercom).toHaveBeenCalledTimes(2);
    expect(intercom).toHaveBeenLastCalledWith('update', {
      user_id: alice.user_id,
      intercom_user_jwt: fresh.mode === 'jwt' ? fresh.token : 'not a jwt',
    });
  });

  test("the app's own update() carries the current JWT, which its settings cannot override", async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const intercom = intercomSpy();
    const session = await bootIntercom(intercom, { user: alice, client });

    await session.update({ last_request_at: 1, intercom_user_jwt: 'stale', user_id: 'spoofed' });

    const token = await client.getToken(alice);
    expect(intercom).toHaveBeenLastCalledWith('update', {
      last_request_at: 1,
      user_id: alice.user_id,
      intercom_user_jwt: token.mode === 'jwt' ? token.token : 'not a jwt',
    });
  });

  test("shutdown() stops pushing refreshed tokens and calls Intercom('shutdown')", async () => {
    const { client } = makeClient({ fetchToken: issuingFetch() });
    const intercom = intercomSpy();
    const session = await bootIntercom(intercom, { user: alice, client });

    session.shutdown();
    await jest.advanceTimersByTimeAsync(3_600_000);

    expect(intercom.mock.calls.map(([command]) => command)).toEqual(['boot', 'shutdown']);
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
