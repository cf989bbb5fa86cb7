import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { generateKeyring, InvalidInput, InvalidKeyring, LocalKeyringProvider, parseKeyring } from './index';

const base64Key = (bytes = 32) => randomBytes(bytes).toString('base64');

function keyringError(text: string): InvalidKeyring {
  try {
    parseKeyring(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidKeyring);
    return error as InvalidKeyring;
  }
  throw new Error('parseKeyring accepted a malformed keyring');
}

/** Any 12-character run of the key text in a message would be a leak; shorter runs happen by chance. */
function expectNoKeyText(message: string, keyText: string): void {
  for (let start = 0; start + 12 <= keyText.length; start += 1) {
    expect(message).not.toContain(keyText.slice(start, start + 12));
  }
}

describe('parseKeyring', () => {
  test('reads id:base64key entries in order with the first one active', () => {
    const [a, b] = [base64Key(), base64Key()];
    const keyring = parseKeyring(`k-1:${a},k.2_B:${b}`);
    expect(keyring.activeKeyId).toBe('k-1');
    expect([...keyring.keys.keys()]).toEqual(['k-1', 'k.2_B']);
    expect(keyring.keys.get('k.2_B')?.toString('base64')).toBe(b);
  });

  test('tolerates whitespace and newlines around entries, as in a keyring file', () => {
    const [a, b] = [base64Key(), base64Key()];
    const keyring = parseKeyring(`\n  k1:${a} ,\n\tk2 : ${b}\r\n`);
    expect([...keyring.keys.keys()]).toEqual(['k1', 'k2']);
  });

  const key = base64Key();
  const malformed: Array<[string, string, RegExp, string]> = [
    ['empty text', '', /it is empty/, ''],
    ['whitespace only', ' \n\t ', /it is empty/, ''],
    ['a stray comma', `k1:${key},`, /\(entry 2\): the entry is empty/, key],
    ['no colon (a bare key)', key, /\(entry 1\): no ":" between key id and key/, key],
    ['a missing key', 'k1:', /\(entry 1, key id "k1"\): the key is missing/, ''],
    ['bad base64 characters', `k1:*${key.slice(1)}`, /key id "k1"\): the key is not valid base64/, key.slice(1)],
    ['base64url characters', `k1:${key.replace(/.{2}/, '-_')}`, /the key is not valid base64/, key.slice(2)],
    ['base64 without padding', `k1:${key.replace(/=+$/, '')}`, /the key is not valid base64/, key.replace(/=+$/, '')],
    [
      'a 31-byte key',
      `k1:${base64Key(31)}`,
      /key id "k1"\): the key decodes to 31 bytes; a master key is exactly 32/,
      '',
    ],
    ['a 33-byte key', `k1:${base64Key(33)}`, /the key decodes to 33 bytes/, ''],
    [
      'a duplicate id',
      `k1:${key},k2:${base64Key()},k1:${base64Key()}`,
      /\(entry 3, key id "k1"\): the id already names entry 1/,
      key,
    ],
    ['an empty id', `:${key}`, /\(entry 1\): the key id must be 1 to 64 characters/, key],
    ['a space in the id', `k 1:${key}`, /\(entry 1\): the key id must be/, key],
    ['a slash in the id', `k/1:${key}`, /the key id must be/, key],
    ['a non-ASCII id', `ключ:${key}`, /the key id must be/, key],
    ['a 65-character id', `${'k'.repeat(65)}:${key}`, /the key id must be/, key],
    ['key and id swapped', `${key}:k1`, /\(entry 1\): the key id must be/, key],
  ];

  test.each(malformed)(
    '%s is refused with InvalidKeyring naming the problem, never the key',
    (_, text, problem, keyText) => {
      const error = keyringError(text);
      expect(error.code).toBe('INVALID_KEYRING');
      expect(error.message).toMatch(problem);
      if (keyText) expectNoKeyText(`${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}`, keyText);
    },
  );

  test('property: a corrupted keyring is either refused without quoting key text, or still holds 32-byte keys', () => {
    const corruptions = fc.record({
      at: fc.nat(),
      insert: fc.string({ unit: 'binary-ascii', maxLength: 3 }),
      remove: fc.nat({ max: 3 }),
    });
    fc.assert(
      fc.property(corruptions, ({ at, insert, remove }) => {
        const keyText = base64Key();
        const text = `k1:${keyText},k2:${base64Key()}`;
        const cut = at % (text.length + 1);
        const corrupted = text.slice(0, cut) + insert + text.slice(cut + remove);
        try {
          const keyring = parseKeyring(corrupted);
          for (const key of keyring.keys.values()) expect(key).toHaveLength(32);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidKeyring);
          expectNoKeyText((error as Error).message, keyText);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('generateKeyring', () => {
  test('names the key k-<yyyymmdd>-<8 hex> from the given date, in UTC, with a 32-byte key', () => {
    const text = generateKeyring({ now: new Date('2025-03-04T23:30:00-02:00') });
    const keyring = parseKeyring(text);
    expect(keyring.activeKeyId).toMatch(/^k-20250305-[0-9a-f]{8}$/);
    expect(keyring.keys.get(keyring.activeKeyId)).toHaveLength(32);
  });

  test('uses a given id, and every call draws a fresh key', () => {
    const first = parseKeyring(generateKeyring({ id: 'primary' }));
    const second = parseKeyring(generateKeyring({ id: 'primary' }));
    expect(first.activeKeyId).toBe('primary');
    expect(first.keys.get('primary')?.equals(second.keys.get('primary') as Buffer)).toBe(false);
  });

  test('refuses an id the keyring format cannot hold, and an invalid date', () => {
    expect(() => generateKeyring({ id: 'has space' })).toThrow(InvalidKeyring);
    expect(() => generateKeyring({ now: new Date('not a date') })).toThrow(InvalidInput);
  });

  test('a generated entry put first becomes the active key of the rotated keyring', () => {
    const current = generateKeyring({ id: 'k-old' });
    const rotated = parseKeyring(`${generateKeyring({ id: 'k-new' })},${current}`);
    expect(rotated.activeKeyId).toBe('k-new');
    expect([...rotated.keys.keys()]).toEqual(['k-new', 'k-old']);
  });
});

describe('LocalKeyringProvider', () => {
  test('refuses a hand-built keyring whose active id names no key or whose key is not 32 bytes', () => {
    expect(() => new LocalKeyringProvider({ activeKeyId: 'k9', keys: new Map([['k1', randomBytes(32)]]) })).toThrow(
      /active key id names no key/,
    );
    expect(() => new LocalKeyringProvider({ activeKeyId: 'k1', keys: new Map([['k1', randomBytes(16)]]) })).toThrow(
      /\(entry 1, key id "k1"\): the key is 16 bytes/,
    );
  });

  test('lists the active key first and never prints key bytes', () => {
    const keyring = parseKeyring(`${generateKeyring({ id: 'a' })},${generateKeyring({ id: 'b' })}`);
    const provider = new LocalKeyringProvider({ activeKeyId: 'b', keys: keyring.keys });
    expect(provider.keyIds()).toEqual(['b', 'a']);
    expect(JSON.stringify(provider)).toBe('{"activeKeyId":"b","keyIds":["b","a"]}');
    expect(inspect(provider, { showHidden: true, depth: 5 })).toBe(
      'LocalKeyringProvider { activeKeyId: "b", keyIds: ["b", "a"] }',
    );
  });
});
