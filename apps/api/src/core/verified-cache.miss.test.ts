import type { DatabaseHealth } from './database-health.service';
import { VerifiedCache } from './verified-cache';

// Only `up` is read; the database is up throughout.
const health = { up: true } as DatabaseHealth;

test('misses are kept apart and bounded: random keys neither grow the cache nor push real entries out', async () => {
  let loads = 0;
  const cache = new VerifiedCache<string, string | null>(health, {
    freshMs: () => 60_000,
    staleMs: 0,
    max: 3,
    isMiss: (v) => v === null,
    maxMisses: 2,
    listening: () => true,
  });
  const load = (key: string) => async () => {
    loads += 1;
    return key.startsWith('real') ? `value of ${key}` : null;
  };
  for (const key of ['real-1', 'real-2', 'real-3']) await cache.get(key, load(key));
  for (let i = 0; i < 1000; i++) await cache.get(`junk-${i}`, load(`junk-${i}`));
  expect(cache.size).toBe(3 + 2);
  const before = loads;
  for (const key of ['real-1', 'real-2', 'real-3']) expect(await cache.get(key, load(key))).toBe(`value of ${key}`);
  expect(loads).toBe(before);
  // A key that was a miss and now exists is moved over, not kept twice.
  await cache.get('junk-999', async () => 'created meanwhile');
  cache.delete('junk-999');
  expect(await cache.get('junk-999', async () => 'created meanwhile')).toBe('created meanwhile');
  expect(cache.size).toBe(3 + 1);
});
