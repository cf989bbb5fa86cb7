import type { IssuedToken } from './index';
import {
  alice,
  bob,
  fail,
  HOUR_MS,
  httpError,
  issuingFetch,
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

describe('clear, dispose and listeners', () => {
  test('clear() cancels the refresh timer, leaves no pending timers, and the next call fetches again', async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });
    await client.getToken(alice);
    expect(jest.getTimerCount()).toBe(1);

    client.clear();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(2 * HOUR_MS);
    expect(fetchToken).toHaveBeenCalledTimes(1);

    await client.getToken(alice);
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('clear() aborts the request in flight; its callers are rejected and its late answer is ignored', async () => {
    const { fetchToken, calls } = manualFetch();
    const { client } = makeClient({ fetchToken });
    const seen: IssuedToken[] = [];
    client.onToken((token) => seen.push(token));

    const pending = client.getToken(alice);
    client.clear();
    expect(calls[0]?.signal.aborted).toBe(true);
    await expect(pending).rejects.toMatchObject({ code: 'cleared' });

    calls[0]?.resolve(jwtResponse(alice.user_id));
    await settle();
    expect(seen).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('clear() during a backoff wait cancels the wait timer', async () => {
    const fetchToken = scriptedFetch(fail(httpError(503)), ok());
    const { client } = makeClient({ fetchToken });

    const pending = client.getToken(alice);
    await settle();
    expect(jest.getTimerCount()).toBe(1);

    client.clear();
    await expect(pending).rejects.toMatchObject({ code: 'cleared' });
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('dispose() stops timers, rejects pending calls, drops listeners and refuses later calls', async () => {
    const fetchToken = issuingFetch();
    const { client } = makeClient({ fetchToken });
    const listener = jest.fn();
    client.onToken(listener);
    await client.getToken(alice);
    const pending = client.getToken(bob);

    client.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'disposed' });
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(2 * HOUR_MS);
    expect(listener).toHaveBeenCalledTimes(1);
    await expect(client.getToken(alice)).rejects.toMatchObject({ code: 'disposed' });
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('an unsubscribed listener hears nothing more; a listener that throws is reported and the others still run', async () => {
    const fetchToken = issuingFetch();
    const { client, errors } = makeClient({ fetchToken });
    const boom = new Error('listener bug');
    const kept = jest.fn();
    const dropped = jest.fn();
    client.onToken(() => {
      throw boom;
    });
    const unsubscribe = client.onToken(dropped);
    client.onToken(kept);

    await client.getToken(alice);
    unsubscribe();
    await jest.advanceTimersByTimeAsync(HOUR_MS - 60_000);

    expect(dropped).toHaveBeenCalledTimes(1);
    expect(kept).toHaveBeenCalledTimes(2);
    expect(errors).toEqual([boom, boom]);
  });
});
