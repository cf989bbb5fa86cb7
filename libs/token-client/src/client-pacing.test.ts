import { alice, issuingFetch, makeClient, T0 } from './test-support';

// Intercom throttles the web Messenger's `update` to about 20 calls per 30 minutes, and every
// refreshed token is one `update`.
const WINDOW_MS = 30 * 60_000;

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});

afterEach(() => {
  jest.useRealTimers();
});

/** Times (ms after the first token) at which refreshed tokens (every token after the first) reached listeners. */
async function refreshTimes(ttlSeconds: number, runMs: number, options: { refreshesPer30Minutes?: number } = {}) {
  const { client, errors } = makeClient({ fetchToken: issuingFetch(ttlSeconds), ...options });
  const seen: number[] = [];
  const start = Date.now();
  client.onToken(() => seen.push(Date.now() - start));
  await client.getToken(alice);
  await jest.advanceTimersByTimeAsync(runMs);
  client.dispose();
  return { times: seen.slice(1), errors };
}

function mostInAnyWindow(times: number[]): number {
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + WINDOW_MS).length));
}

describe('refresh pacing under Intercom’s update throttle', () => {
  test('a 60 s lifetime refreshes every 100 s at most: 18 in 30 minutes, never more in any 30-minute window', async () => {
    const { times, errors } = await refreshTimes(60, 2 * 60 * 60_000);

    // Unpaced, the client refreshed at 54 s, 108 s, … : 33 updates in the first 30 minutes.
    expect(times.filter((t) => t < WINDOW_MS)).toHaveLength(18);
    expect(mostInAnyWindow(times)).toBeLessThanOrEqual(18);
    expect(times.slice(0, 3)).toEqual([54_000, 154_000, 254_000]); // the first at 90% of the life, as before
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100_000);
    // The token expires 40 s before each refresh: said once, with what to do about it.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'throttled', retryable: false });
    expect((errors[0] as Error).message).toBe(
      "Tokens expire 40 s before Intercom's update limit allows a refresh: use 2 min or more.",
    );
  });

  test('lifetimes long enough for the pace refresh as before, with no warning', async () => {
    const hour = await refreshTimes(3600, 3 * 60 * 60_000);
    expect(hour.times).toEqual([3_540_000, 7_080_000, 10_620_000]);
    expect(hour.errors).toEqual([]);

    const twoMinutes = await refreshTimes(120, WINDOW_MS);
    expect(twoMinutes.times.slice(0, 3)).toEqual([108_000, 216_000, 324_000]);
    expect(twoMinutes.errors).toEqual([]);
  });

  test('the budget is an option: 6 per 30 minutes spaces refreshes 5 minutes apart', async () => {
    const { times, errors } = await refreshTimes(240, WINDOW_MS, { refreshesPer30Minutes: 6 });
    expect(times).toEqual([216_000, 516_000, 816_000, 1_116_000, 1_416_000, 1_716_000]);
    expect(errors).toMatchObject([{ code: 'throttled' }]);
  });

  test('refreshes the app forces with getToken after expiry count too: the timer then waits for the window', async () => {
    const { client } = makeClient({ fetchToken: issuingFetch(60), refreshesPer30Minutes: 3 });
    const seen: number[] = [];
    client.onToken(() => seen.push(Date.now() - T0));
    await client.getToken(alice);
    await jest.advanceTimersByTimeAsync(54_000); // the timer's refresh; the next is held to 654 s
    // The app asks after each expiry (an expired token is never returned): two more refreshes.
    for (let i = 0; i < 2; i += 1) {
      await jest.advanceTimersByTimeAsync(61_000);
      await client.getToken(alice);
    }
    expect(seen).toEqual([0, 54_000, 115_000, 176_000]);

    // Three in the window: the timer holds the next refresh until the first of them leaves it.
    await jest.advanceTimersByTimeAsync(54_000 + WINDOW_MS - 176_000);
    expect(seen).toEqual([0, 54_000, 115_000, 176_000, 54_000 + WINDOW_MS]);
    client.dispose();
  });
});
