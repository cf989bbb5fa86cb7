import fc from 'fast-check';
import { generateApiKey, sameKey } from './api-key-format';

describe('sameKey, the cached path of API-key authentication', () => {
  test('matches the same key only', () => {
    const { key } = generateApiKey();
    expect(sameKey(key, key)).toBe(true);
    expect(sameKey(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`, key)).toBe(false);
    expect(sameKey(key.slice(0, -1), key)).toBe(false);
    expect(sameKey('', key)).toBe(false);
  });

  test('agrees with === for any pair of strings, multi-byte characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(sameKey(a, b)).toBe(a === b);
        expect(sameKey(a, a)).toBe(true);
      }),
    );
  });
});
