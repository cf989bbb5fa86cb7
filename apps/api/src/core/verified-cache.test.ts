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
