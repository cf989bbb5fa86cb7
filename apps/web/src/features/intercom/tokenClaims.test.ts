import { describeClaimTimes, formatDuration } from './tokenClaims';

describe('the debugger reads iat and exp for people', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const nowSeconds = now / 1000;

  test('a live token: issued, expires in, lifetime', () => {
    const lines = describeClaimTimes({ iat: nowSeconds - 600, exp: nowSeconds + 3000 }, now);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^Expires .*, in 50 min \(exp \d+\)\.$/);
    expect(lines[2]).toBe('Lifetime: 1 h.');
  });

  test('an expired token says how long ago', () => {
    expect(describeClaimTimes({ exp: nowSeconds - 90 }, now)[0]).toMatch(/^Expired .*, 1 min ago/);
  });

  test('claims that are not numbers are left to the problems list', () => {
    expect(describeClaimTimes({ iat: '1700000000', exp: null }, now)).toEqual([]);
  });

  test.each([
    [42_000, '42 s'],
    [5_400_000, '1 h 30 min'],
    [90_000_000, '1 d 1 h'],
  ])('%d ms → %s', (ms, words) => {
    expect(formatDuration(ms)).toBe(words);
  });
});
