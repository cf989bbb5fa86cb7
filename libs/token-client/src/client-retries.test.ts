import { TokenError } from './index';
import {
  alice,
  APP_ID,
  fail,
  fakeJwt,
  HASH_A,
  HOUR_MS,
  httpError,
  makeClient,
  ok,
  scriptedFetch,
  T0,
} from './test-support';

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('retries', () => {
  test('failures are retried with exponential backoff and jitter, then the token is returned', async () => {
    const fetchToken = scriptedFetch(
      fail(httpError(503)),
      fail(new TypeError('Failed to fetch')),
      fail(httpError(500)),
      ok(),
    );
    const { client } = makeClient({ fetchToken, retry: { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 } });

    const pending = client.getToken(alice);
    // random() = 0.5 → half the step plus a quarter: 750, 1500, 3000 ms.
    for (const [waitMs, callsSoFar] of [
      [749, 1],
      [1, 2],
      [1499, 2],
      [1, 3],
      [2999, 3],
      [1, 4],
    ] as const) {
      await jest.advanceTimersByTimeAsync(waitMs);
      expect(fetchToken).toHaveBeenCalledTimes(callsSoFar);
    }
    await expect(pending).resolves.toMatchObject({ userId: alice.user_id });
  });

  test.each([
    [0, 4000],
    [0.999, 7996],
  ])(
    'jitter with random() = %p waits between half and all of the backoff step (%p ms before the 4th attempt)',
    async (r, delay) => {
      const fetchToken = scriptedFetch(fail(httpError(503)), fail(httpError(503)), fail(httpError(503)), ok());
      const { client } = makeClient({ fetchToken, random: () => r, retry: { attempts: 4, baseDelayMs: 2000 } });

      const pending = client.getToken(alice);
      await jest.advanceTimersByTimeAsync(Math.round(1000 + r * 1000) + Math.round(2000 + r * 2000));
      expect(fetchToken).toHaveBeenCalledTimes(3);
      await jest.advanceTimersByTimeAsync(delay - 1);
      expect(fetchToken).toHaveBeenCalledTimes(3);
      await jest.advanceTimersByTimeAsync(1);
      expect(fetchToken).toHaveBeenCalledTimes(4);
      await pending;
    },
  );

  test('backoff steps are capped at maxDelayMs', async () => {
    const fetchToken = scriptedFetch(fail(httpError(503)), fail(httpError(503)), fail(httpError(503)), ok());
    const { client } = makeClient({ fetchToken, random: () => 0.999, retry: { baseDelayMs: 4000, maxDelayMs: 5000 } });

    const pending = client.getToken(alice);
    await jest.advanceTimersByTimeAsync(3 * 5000);
    expect(fetchToken).toHaveBeenCalledTimes(4);
    await pending;
  });

  test('after the configured attempts the last error is thrown', async () => {
    const fetchToken = scriptedFetch(fail(httpError(502)), fail(httpError(503)), fail(httpError(504)));
    const { client } = makeClient({ fetchToken, retry: { attempts: 3 } });

    const pending = client.getToken(alice);
    const outcome = expect(pending).rejects.toMatchObject({ code: 'http', status: 504, retryable: true });
    await jest.advanceTimersByTimeAsync(60_000);
    await outcome;
    expect(fetchToken).toHaveBeenCalledTimes(3);
  });

  test.each([400, 401, 403, 404, 409])('a %p answer is not retried', async (status) => {
    const fetchToken = scriptedFetch(fail(httpError(status)), ok());
    const { client } = makeClient({ fetchToken });

    await expect(client.getToken(alice)).rejects.toMatchObject({ code: 'http', status, retryable: false });
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  test.each([408, 429, 500, 502, 503, 504])('a %p answer is retried', async (status) => {
    const fetchToken = scriptedFetch(fail(httpError(status)), ok());
    const { client } = makeClient({ fetchToken });

    const pending = client.getToken(alice);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(pending).resolves.toMatchObject({ userId: alice.user_id });
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('a 429 waits exactly the Retry-After seconds before the next try', async () => {
    const fetchToken = scriptedFetch(fail(httpError(429, '7')), ok());
    const { client } = makeClient({ fetchToken });

    const pending = client.getToken(alice);
    await jest.advanceTimersByTimeAsync(6999);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    await pending;
  });

  test('a Retry-After given as an HTTP date is honoured', async () => {
    const fetchToken = scriptedFetch(fail(httpError(429, new Date(T0 + 5000).toUTCString())), ok());
    const { client } = makeClient({ fetchToken });

    const pending = client.getToken(alice);
    await jest.advanceTimersByTimeAsync(4999);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    await pending;
  });

  test('a Retry-After longer than maxDelayMs fails at once with the 429, which carries the Retry-After', async () => {
    const fetchToken = scriptedFetch(fail(httpError(429, '120')), ok());
    const { client } = makeClient({ fetchToken, retry: { maxDelayMs: 60_000 } });

    await expect(client.getToken(alice)).rejects.toMatchObject({ status: 429, retryAfter: '120' });
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  test.each([
    ['not an object', 'token'],
    ['no app_id', { token: fakeJwt(alice.user_id, T0, 3600), expires_at: new Date(T0 + HOUR_MS).toISOString() }],
    [
      'a token that is not a JWT',
      { token: 'opaque', expires_at: new Date(T0 + HOUR_MS).toISOString(), app_id: APP_ID },
    ],
    ['an unparseable expires_at', { token: fakeJwt(alice.user_id, T0, 3600), expires_at: 'soon', app_id: APP_ID }],
    ['an uppercase user_hash', { user_hash: HASH_A.toUpperCase(), app_id: APP_ID }],
    ['neither token nor user_hash', { app_id: APP_ID }],
  ])('an answer with %s is refused as invalid_response without retrying', async (_name, body) => {
    const fetchToken = scriptedFetch(() => body);
    const { client } = makeClient({ fetchToken });

    const failure = await client.getToken(alice).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TokenError);
    expect(failure).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });
});
