import type { DatabaseHealth } from './database-health.service';
import { VerifiedCache } from './verified-cache';

// A database that always answers: what is under test is what the cache keeps, not outages.
const health = { up: true } as DatabaseHealth;

function cache(max: number, maxMisses: number) {
  return new VerifiedCache<string, string | null>(health, {
    freshMs: () => 60_000,
    staleMs: 300_000,
    listening: () => true,
    max,
    isMiss: (value) => value === null,
    maxMisses,
  });
}

describe('VerifiedCache keeps "nothing here" answers apart from verified values', () => {
  test('made-up keys never push a verified value out, and their space stays bounded', async () => {
    const c = cache(2, 3);
    const loads: string[] = [];
    const load = (key: string, value: string | null) => () => {
      loads.push(key);
      return Promise.resolve(value);
    };
    await c.get('real-1', load('real-1', 'one'));
    await c.get('real-2', load('real-2', 'two'));
    for (let i = 0; i < 1000; i++) await c.get(`junk-${i}`, load(`junk-${i}`, null));

    expect(c.size).toBe(2 + 3);
    loads.length = 0;
    expect(await c.get('real-1', load('real-1', 'changed'))).toBe('one');
    expect(await c.get('real-2', load('real-2', 'changed'))).toBe('two');
    expect(loads).toEqual([]);
  });

  test('a key that was a miss and then appears moves to the verified space', async () => {
    const c = cache(2, 3);
    await c.get('k', () => Promise.resolve(null));
    c.delete('k');
    expect(await c.get('k', () => Promise.resolve('now here'))).toBe('now here');
    for (let i = 0; i < 10; i++) await c.get(`junk-${i}`, () => Promise.resolve(null));
    expect(await c.get('k', () => Promise.resolve('reloaded'))).toBe('now here');
  });
});

describe('VerifiedCache serves through outages its owner names', () => {
  class StoreDown extends Error {}

  test('a suspect value is served while a load fails as an outage, within staleMs only; other errors are thrown', async () => {
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      let listening = true;
      const c = new VerifiedCache<string, string>(health, {
        freshMs: () => 1_000,
        staleMs: 5_000,
        listening: () => listening,
        max: 10,
        isOutage: (err) => err instanceof StoreDown,
      });
      expect(await c.get('t', () => Promise.resolve('key'))).toBe('key');
      // Notices may have been missed: the value must be loaded again before use, and the store is down.
      listening = false;
      c.markAllStale();
      now += 2_000;
      expect(await c.get('t', () => Promise.reject(new StoreDown()))).toBe('key');
      await expect(c.get('t', () => Promise.reject(new Error('a bug')))).rejects.toThrow('a bug');
      now += 4_000;
      await expect(c.get('t', () => Promise.reject(new StoreDown()))).rejects.toBeInstanceOf(StoreDown);
    } finally {
      clock.mockRestore();
    }
  });
});

describe('VerifiedCache#peek, the token route answering without a promise (decision 0058)', () => {
  test('answers exactly what get() would answer at once, and nothing it would have to load or refresh', async () => {
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const c = new VerifiedCache<string, string | null>(health, {
        freshMs: () => 1_000,
        staleMs: 5_000,
        listening: () => true,
        max: 10,
        isMiss: (value) => value === null,
      });
      expect(c.peek('k')).toBeUndefined();
      await c.get('k', () => Promise.resolve('v1'));
      await c.get('nobody', () => Promise.resolve(null));
      const fresh = c.stats.fresh;
      expect(c.peek('k')).toBe('v1');
      // A "nothing here" answer is an answer too (the route turns it into a 401).
      expect(c.peek('nobody')).toBeNull();
      expect(c.stats.fresh).toBe(fresh + 2);

      // Past its TTL: get() would refresh it; peek leaves that to get().
      now += 1_001;
      expect(c.peek('k')).toBeUndefined();
      expect(await c.get('k', () => Promise.resolve('v2'))).toBe('v1');
      await Promise.resolve();
      expect(c.peek('k')).toBe('v2');

      // A change notice (a revoked key): gone at once.
      c.delete('k');
      expect(c.peek('k')).toBeUndefined();
      // Notices possibly missed: nothing is answered from memory until the database confirms it.
      await c.get('k', () => Promise.resolve('v3'));
      c.markAllStale();
      expect(c.peek('k')).toBeUndefined();
      expect(c.stats.fresh).toBe(fresh + 3);
    } finally {
      clock.mockRestore();
    }
  });
});
