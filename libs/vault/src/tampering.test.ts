import fc from 'fast-check';
import {
  decodeSealed,
  encodeSealed,
  fromSealedColumns,
  generateKeyring,
  LocalKeyringProvider,
  openSecret,
  parseKeyring,
  type SealedColumns,
  type SealedSecret,
  sealSecret,
  type SecretBinding,
  toSealedColumns,
  UnsupportedFormat,
  VaultError,
} from './index';

// Ids one bit apart ('0' is 0x30, '1' is 0x31): a flipped id bit can land on a key that exists.
const provider = new LocalKeyringProvider(
  parseKeyring([generateKeyring({ id: 'k1' }), generateKeyring({ id: 'k0' }), generateKeyring({ id: 'k3' })].join(',')),
);
const binding: SecretBinding = { tenantId: '2f1c6a8e-tenant', secretId: '9b0d-secret', version: 3 };
const plaintexts = fc.string({ unit: 'binary', maxLength: 200 });

function flipBit(bytes: Buffer, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  const index = Math.floor(bit / 8) % copy.length;
  copy[index] = (copy[index] as number) ^ (1 << (bit % 8));
  return copy;
}

async function expectVaultError(open: () => Promise<unknown>): Promise<void> {
  const outcome = await open().then(
    (value) => ({ opened: value }),
    (error: unknown) => ({ error }),
  );
  expect(outcome).not.toHaveProperty('opened');
  expect((outcome as { error: unknown }).error).toBeInstanceOf(VaultError);
}

type Field = 'formatVersion' | 'masterKeyId' | 'wrappedKey' | 'iv' | 'ciphertext' | 'tag';

function tamper(sealed: SealedSecret, field: Field, bit: number): SealedSecret {
  const tagStart = sealed.ciphertext.length - 16;
  switch (field) {
    case 'formatVersion':
      return { ...sealed, formatVersion: sealed.formatVersion ^ (1 << (bit % 8)) };
    case 'masterKeyId':
      return { ...sealed, masterKeyId: flipBit(Buffer.from(sealed.masterKeyId), bit).toString('utf8') };
    case 'wrappedKey':
    case 'iv':
      return { ...sealed, [field]: flipBit(sealed[field], bit) };
    case 'ciphertext':
      // An empty secret has no ciphertext bytes to flip: add one instead.
      if (tagStart === 0) return { ...sealed, ciphertext: Buffer.concat([Buffer.of(bit % 256), sealed.ciphertext]) };
      return {
        ...sealed,
        ciphertext: Buffer.concat([
          flipBit(sealed.ciphertext.subarray(0, tagStart), bit),
          sealed.ciphertext.subarray(tagStart),
        ]),
      };
    case 'tag':
      return {
        ...sealed,
        ciphertext: Buffer.concat([
          sealed.ciphertext.subarray(0, tagStart),
          flipBit(sealed.ciphertext.subarray(tagStart), bit),
        ]),
      };
  }
}

describe('tampering', () => {
  test('a flipped bit in any field (version, master key id, wrapped key, iv, ciphertext, tag) fails with a VaultError', async () => {
    const fields = fc.constantFrom<Field>('formatVersion', 'masterKeyId', 'wrappedKey', 'iv', 'ciphertext', 'tag');
    await fc.assert(
      fc.asyncProperty(plaintexts, fields, fc.nat(), async (plaintext, field, bit) => {
        const sealed = await sealSecret(provider, binding, plaintext);
        await expectVaultError(() => openSecret(provider, binding, tamper(sealed, field, bit)));
      }),
      { numRuns: 200 },
    );
  });

  test('a flipped bit anywhere in the single-blob form fails to decode or to open with a VaultError', async () => {
    await fc.assert(
      fc.asyncProperty(plaintexts, fc.nat(), async (plaintext, bit) => {
        const blob = encodeSealed(await sealSecret(provider, binding, plaintext));
        const tampered = flipBit(blob, bit % (blob.length * 8));
        await expectVaultError(async () => openSecret(provider, binding, decodeSealed(tampered)));
      }),
      { numRuns: 200 },
    );
  });

  test('a flipped bit in any stored column, the version byte included, fails with a VaultError', async () => {
    const columns = fc.constantFrom<keyof SealedColumns>('ciphertext', 'iv', 'wrappedKey', 'masterKeyId');
    await fc.assert(
      fc.asyncProperty(plaintexts, columns, fc.nat(), async (plaintext, column, bit) => {
        const row = toSealedColumns(await sealSecret(provider, binding, plaintext));
        const tampered: SealedColumns =
          column === 'masterKeyId'
            ? { ...row, masterKeyId: flipBit(Buffer.from(row.masterKeyId), bit).toString('utf8') }
            : { ...row, [column]: flipBit(row[column], bit) };
        await expectVaultError(async () => openSecret(provider, binding, fromSealedColumns(tampered)));
      }),
      { numRuns: 200 },
    );
  });

  test('a flipped version byte is reported as UnsupportedFormat naming the byte', async () => {
    const row = toSealedColumns(await sealSecret(provider, binding, 'secret'));
    const tampered = { ...row, ciphertext: flipBit(row.ciphertext, 7) };
    expect(() => fromSealedColumns(tampered)).toThrow(UnsupportedFormat);
    expect(() => fromSealedColumns(tampered)).toThrow(/format version 129 \(0x81\) is not supported/);
  });
});
