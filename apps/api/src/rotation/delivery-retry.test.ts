import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from './delivery-retry';

test('retries back off exponentially, then give up', () => {
  expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([30_000, 120_000, 600_000, 3_600_000, 21_600_000]);
  expect(MAX_DELIVERY_ATTEMPTS).toBe(6);
  expect(retryDelayMs(MAX_DELIVERY_ATTEMPTS)).toBeNull();
  expect(retryDelayMs(99)).toBeNull();
});

test('each wait is longer than the one before', () => {
  for (let a = 2; a < MAX_DELIVERY_ATTEMPTS; a++) expect(retryDelayMs(a)!).toBeGreaterThan(retryDelayMs(a - 1)!);
});
