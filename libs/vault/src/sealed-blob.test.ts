import fc from 'fast-check';
import {
  decodeSealed,
  encodeSealed,
  fromSealedColumns,
  generateKeyring,
  LocalKeyringProvider,
  MalformedSealedSecret,
  openSecret,
  parseKeyring,
  sealSecret,
  type SecretBinding,
  toSealedColumns,
  UnsupportedFormat,
} from './index';

const provider = new LocalKeyringProvider(parseKeyring(generateKeyring({ id: 'k-20250101-abcdef01' })));
const binding: SecretBinding = { tenantId: 't', secretId: 's', version: 1 };
const plaintexts = fc.string({ unit: 'binary', maxLength: 300 });

describe('single-blob form', () => {
  test('encode then decode returns every field unchanged, and the secret still opens', async () => {
    await fc.assert(
      fc.asyncProperty(plaintexts, async (plaintext) => {
        const sealed = await sealSecret(provider, binding, plaintext);
        const decoded = decodeSealed(encodeSealed(sealed));
        expect(decoded).toEqual(sealed);
        expect((await openSecret(provider, binding, decoded)).reveal()).toBe(plaintext);
      }),
      { numRuns: 100 },
    );
  });

  test('the blob starts with the version byte, then the length-prefixed master key id and wrapped key', async () => {
    const sealed = await sealSecret(provider, binding, 'secret');
    const blob = encodeSealed(sealed);
    const idLength = Buffer.byteLength(sealed.masterKeyId);
    expect(blob[0]).toBe(1);
    expect(blob.readUInt16BE(1)).toBe(idLength);
    expect(blob.subarray(3, 3 + idLength).toString()).toBe(sealed.masterKeyId);
    expect(blob.readUInt16BE(3 + idLength)).toBe(sealed.wrappedKey.length);
    expect(blob.length).toBe(1 + 2 + idLength + 2 + sealed.wrappedKey.length + 12 + sealed.ciphertext.length);
  });

  test('a blob cut short anywhere before the tag is complete is refused as MalformedSealedSecret', async () => {
    const blob = encodeSealed(await sealSecret(provider, binding, 'secret'));
    const shortest = blob.length - Buffer.byteLength('secret');
    for (let length = 0; length < shortest; length += 1) {
      expect(() => decodeSealed(blob.subarray(0, length))).toThrow(MalformedSealedSecret);
    }
  });

  test('an unknown version byte is refused as UnsupportedFormat before the rest is read', () => {
    const failure = (() => {
      try {
        return decodeSealed(Buffer.of(2, 0xff, 0xff));
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(UnsupportedFormat);
    expect(failure).toMatchObject({ code: 'UNSUPPORTED_FORMAT', formatVersion: 2 });
  });

  test('a master key id that is not valid UTF-8 is refused as MalformedSealedSecret', async () => {
    const blob = encodeSealed(await sealSecret(provider, binding, 'secret'));
    blob[3] = 0xff;
    expect(() => decodeSealed(blob)).toThrow(/master key id is not valid UTF-8/);
  });
});

describe('column form', () => {
  test('the ciphertext column is the version byte followed by ciphertext and tag; the row round-trips', async () => {
    const sealed = await sealSecret(provider, binding, 'secret');
    const row = toSealedColumns(sealed);
    expect(row.ciphertext[0]).toBe(1);
    expect(row.ciphertext.subarray(1).equals(sealed.ciphertext)).toBe(true);
    expect(row.masterKeyId).toBe(sealed.masterKeyId);
    expect(fromSealedColumns(row)).toEqual(sealed);
  });

  test('an empty ciphertext column or a short iv is refused as MalformedSealedSecret', async () => {
    const row = toSealedColumns(await sealSecret(provider, binding, 'secret'));
    expect(() => fromSealedColumns({ ...row, ciphertext: Buffer.alloc(0) })).toThrow(/ciphertext column is empty/);
    expect(() => fromSealedColumns({ ...row, iv: row.iv.subarray(1) })).toThrow(/the iv must be 12 bytes, got 11/);
    expect(() => fromSealedColumns({ ...row, masterKeyId: '' })).toThrow(MalformedSealedSecret);
  });
});
