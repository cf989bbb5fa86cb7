import type { IssuedToken } from './index';
import {
  alice,
  APP_ID,
  bob,
  fail,
  HASH_A,
  HOUR_MS,
  httpError,
  issuingFetch,
  jwt,
  jwtResponse,
  makeClient,
  manualFetch,
  ok,
  scriptedFetch,
  settle,
  T0,
} from './test-support';

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('caching', () => {
  test('a second getToken for the same user is served from the cache without another request', async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });

    const first = await client.getToken(alice);
    await jest.advanceTimersByTimeAsync(30 * 60_000);
    const second = await client.getToken({ ...alice });

    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
    expect(first).toEqual({
      mode: 'jwt',
      userId: alice.user_id,
      appId: APP_ID,
      token: expect.any(String),
      expiresAt: new Date(T0 + HOUR_MS).toISOString(),
    });
  });

  test('concurrent getToken calls for one user share a single request', async () => {
    const { fetchToken, calls } = manualFetch();
    const { client } = makeClient({ fetchToken });

    const pending = Array.from({ length: 5 }, () => client.getToken(alice));
    expect(fetchToken).toHaveBeenCalledTimes(1);
    calls[0]?.resolve(jwtResponse(alice.user_id));

    const tokens = await Promise.all(pending);
    expect(new Set(tokens).size).toBe(1);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('the user passed to fetchToken is the one asked for, and mutating it later changes nothing', async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });
    const user = { ...alice };

    await client.getToken(user);
    user.user_id = 'someone-else';

    expect(fetchToken.mock.calls[0]?.[0]).toEqual(alice);
    await jest.advanceTimersByTimeAsync(HOUR_MS - 60_000);
    expect(fetchToken.mock.calls[1]?.[0]).toEqual(alice);
  });
});

describe('refresh before expiry', () => {
  test('a timer refreshes the token 60 s before it expires, and onToken listeners receive the new one', async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });
    const seen: IssuedToken[] = [];
    client.onToken((token) => seen.push(token));

    const first = await client.getToken(alice);
    await jest.advanceTimersByTimeAsync(HOUR_MS - 60_000 - 1);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetchToken).toHaveBeenCalledTimes(2);

    expect(seen).toHaveLength(2);
    const refreshed = await client.getToken(alice);
    expect(refreshed).toBe(seen[1]);
    expect(jwt(refreshed).token).not.toBe(jwt(first).token);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(jest.getTimerCount()).toBe(1); // the next refresh
  });

  test('a getToken inside the refresh margin (the timer did not fire: the device slept) fetches a fresh token', async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });
    const first = await client.getToken(alice);

    jest.setSystemTime(T0 + HOUR_MS - 50_000); // the clock jumps; no timer has run
    const second = await client.getToken(alice);

    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(jwt(second).token).not.toBe(jwt(first).token);
    expect(jwt(second).expiresAt).toBe(new Date(T0 + 2 * HOUR_MS - 50_000).toISOString());
  });

  test('an expired token is never returned: past expiry a failed fetch rejects instead', async () => {
    const fetchToken = scriptedFetch(ok(), fail(httpError(401)));
    const { client } = makeClient({ fetchToken });
    await client.getToken(alice);

    jest.setSystemTime(T0 + HOUR_MS + 1);
    await expect(client.getToken(alice)).rejects.toMatchObject({ code: 'http', status: 401 });
  });

  test('inside the margin, a refresh that fails for a passing reason keeps serving the still-valid token', async () => {
    const fetchToken = scriptedFetch(ok(), fail(httpError(503)));
    const { client } = makeClient({ fetchToken, retry: { attempts: 1 } });
    const first = await client.getToken(alice);

    jest.setSystemTime(T0 + HOUR_MS - 30_000);
    await expect(client.getToken(alice)).resolves.toBe(first);
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('inside the margin, a refresh refused with 401 is not papered over with the old token', async () => {
    const fetchToken = scriptedFetch(ok(), fail(httpError(401)));
    const { client } = makeClient({ fetchToken });
    await client.getToken(alice);

    jest.setSystemTime(T0 + HOUR_MS - 30_000);
    await expect(client.getToken(alice)).rejects.toMatchObject({ status: 401 });
  });

  test('a failed background refresh is reported to onError and tried again while the token is still valid', async () => {
    const fetchToken = scriptedFetch(ok(), fail(httpError(503)), ok());
    const seen: IssuedToken[] = [];
    const { client, errors } = makeClient({ fetchToken, retry: { attempts: 1, maxDelayMs: 20_000 } });
    client.onToken((token) => seen.push(token));
    await client.getToken(alice);

    await jest.advanceTimersByTimeAsync(HOUR_MS - 60_000);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(errors).toEqual([expect.objectContaining({ code: 'http', status: 503 })]);

    await jest.advanceTimersByTimeAsync(20_000);
    expect(fetchToken).toHaveBeenCalledTimes(3);
    expect(seen).toHaveLength(2);
    expect(jwt(seen[1] as IssuedToken).expiresAt).toBe(new Date(T0 + 2 * HOUR_MS - 40_000).toISOString());
  });

  test.each([
    ['a 60 s token refreshes 6 s early (10% of its lifetime)', 60, undefined, 54_000],
    ['an explicit 300 s margin is used as given', 3600, 300, 3_300_000],
    ['a margin longer than half the lifetime is cut to half', 3600, 3000, 1_800_000],
  ])('refresh margin: %s', async (_name, ttlSeconds, refreshMarginSeconds, refreshAfterMs) => {
    const fetchToken = issuingFetch(ttlSeconds);
    const { client } = makeClient({ fetchToken, refreshMarginSeconds });
    await client.getToken(alice);

    await jest.advanceTimersByTimeAsync(refreshAfterMs - 1);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test("a device clock that runs behind does not push the refresh past the JWT's real lifetime (exp - iat)", async () => {
    // The server's clock is 10 minutes ahead of this device's.
    const fetchToken = scriptedFetch((user) => jwtResponse(user.user_id, 3600, T0 + 600_000), ok());
    const { client } = makeClient({ fetchToken });
    await client.getToken(alice);

    await jest.advanceTimersByTimeAsync(HOUR_MS - 60_000);
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('a token that had already expired when it arrived is refused, not cached', async () => {
    const fetchToken = scriptedFetch((user) => jwtResponse(user.user_id, 3600, T0 - 2 * HOUR_MS));
    const { client } = makeClient({ fetchToken });

    await expect(client.getToken(alice)).rejects.toMatchObject({ code: 'invalid_response' });
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('user changes', () => {
  test("changing user drops the previous user's token and fetches one for the new user", async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });

    const forAlice = await client.getToken(alice);
    const forBob = await client.getToken(bob);
    const aliceAgain = await client.getToken(alice);

    expect(forBob.userId).toBe(bob.user_id);
    expect(fetchToken.mock.calls.map(([user]) => user.user_id)).toEqual([alice.user_id, bob.user_id, alice.user_id]);
    expect(jwt(aliceAgain).token).not.toBe(jwt(forAlice).token);
    expect(jest.getTimerCount()).toBe(1); // only the current user's refresh
  });

  test('a changed email or name for the same user_id counts as a change and gets a new token', async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });

    await client.getToken(alice);
    await client.getToken({ ...alice, email: 'alice@new.example.com' });

    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test.each(['before', 'after'])(
    "a late answer for the previous user (arriving %s the new user's) is discarded: never cached, emitted or returned",
    async (order) => {
      const { fetchToken, calls } = manualFetch();
      const { client } = makeClient({ fetchToken });
      const seen: IssuedToken[] = [];
      client.onToken((token) => seen.push(token));

      const forAlice = client.getToken(alice);
      const forBob = client.getToken(bob);
      const [aliceCall, bobCall] = calls;
      expect(aliceCall?.signal.aborted).toBe(true);
      await expect(forAlice).rejects.toMatchObject({ code: 'superseded' });

      if (order === 'before') aliceCall?.resolve(jwtResponse(alice.user_id));
      await settle();
      bobCall?.resolve(jwtResponse(bob.user_id));
      if (order === 'after') aliceCall?.resolve(jwtResponse(alice.user_id));
      await settle();

      expect((await forBob).userId).toBe(bob.user_id);
      expect((await client.getToken(bob)).userId).toBe(bob.user_id);
      expect(seen.map((token) => token.userId)).toEqual([bob.user_id]);
      expect(fetchToken).toHaveBeenCalledTimes(2);
    },
  );

  test('a JWT issued for another user_id than the one asked for is refused and not retried', async () => {
    const fetchToken = scriptedFetch(() => jwtResponse('somebody-else'));
    const { client } = makeClient({ fetchToken });

    await expect(client.getToken(alice)).rejects.toMatchObject({ code: 'user_mismatch' });
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('getToken without a non-empty user_id is refused before any request', async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });

    await expect(client.getToken({ user_id: ' ' })).rejects.toMatchObject({ code: 'invalid_user' });
    await expect(client.getToken({ user_id: 42 } as never)).rejects.toMatchObject({ code: 'invalid_user' });
    expect(fetchToken).not.toHaveBeenCalled();
  });
});

describe('HMAC mode', () => {
  test('a user_hash never expires: no refresh timer, cached until the user changes', async () => {
    const fetchToken = scriptedFetch(() => ({ user_hash: HASH_A, app_id: APP_ID }));
    const { client } = makeClient({ fetchToken });

    const first = await client.getToken(alice);
    expect(first).toEqual({ mode: 'hmac', userId: alice.user_id, appId: APP_ID, userHash: HASH_A });
    expect(jest.getTimerCount()).toBe(0);

    await jest.advanceTimersByTimeAsync(30 * 24 * HOUR_MS);
    jest.setSystemTime(T0 + 365 * 24 * HOUR_MS);
    await expect(client.getToken(alice)).resolves.toBe(first);
    expect(fetchToken).toHaveBeenCalledTimes(1);

    await client.getToken(bob);
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });
});
