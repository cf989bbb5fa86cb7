import fc from 'fast-check';
import {
  DecryptionFailed,
  generateKeyring,
  InvalidInput,
  type KeyEncryptionProvider,
  LocalKeyringProvider,
  openSecret,
  parseKeyring,
  sealSecret,
  type SecretBinding,
  UnknownKeyId,
  type WrappedKey,
} from './index';

const providerWith = (...keyringEntries: string[]) => new LocalKeyringProvider(parseKeyring(keyringEntries.join(',')));

const binding: SecretBinding = { tenantId: 'tenant-a', secretId: 'secret-1', version: 1 };

const anyText = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 600 }),
  fc.string({ unit: 'binary', maxLength: 600 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
);
const anyBinding = fc.record({
  tenantId: anyText,
  secretId: anyText,
  version: fc.maxSafeNat(),
});

describe('sealSecret / openSecret', () => {
  const provider = providerWith(generateKeyring({ id: 'k1' }), generateKeyring({ id: 'k0' }));

  test('round trip: any unicode or ascii secret opens to the same text under any binding', async () => {
    await fc.assert(
      fc.asyncProperty(anyBinding, anyText, async (anyBindingValue, plaintext) => {
        const sealed = await sealSecret(provider, anyBindingValue, plaintext);
        const opened = await openSecret(provider, anyBindingValue, sealed);
        expect(opened.reveal()).toBe(plaintext);
      }),
      { numRuns: 200 },
    );
  });

  test('a secret opened under another tenant id, secret id or version fails in the data key layer', async () => {
    const otherBinding = fc
      .tuple(anyBinding, fc.constantFrom('tenantId', 'secretId', 'version'), anyText, fc.maxSafeNat())
      .map(([original, field, text, version]) => {
        const changed = field === 'version' ? { ...original, version } : { ...original, [field]: text };
        return { original, changed };
      })
      .filter(
        ({ original, changed }) =>
          original.tenantId !== changed.tenantId ||
          original.secretId !== changed.secretId ||
          original.version !== changed.version,
      );
    await fc.assert(
      fc.asyncProperty(otherBinding, anyText, async ({ original, changed }, plaintext) => {
        const sealed = await sealSecret(provider, original, plaintext);
        const failure = await openSecret(provider, changed, sealed).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(DecryptionFailed);
        expect((failure as DecryptionFailed).layer).toBe('data-key');
        expect((failure as DecryptionFailed).binding).toEqual(changed);
      }),
      { numRuns: 150 },
    );
  });

  test('fields cannot be shifted into each other: tenant "ab" + secret "c" differs from tenant "a" + secret "bc"', async () => {
    const sealed = await sealSecret(provider, { tenantId: 'ab', secretId: 'c', version: 1 }, 'secret');
    await expect(openSecret(provider, { tenantId: 'a', secretId: 'bc', version: 1 }, sealed)).rejects.toThrow(
      DecryptionFailed,
    );
  });

  test('every seal uses a fresh data key and IV, so sealing the same secret twice shares no bytes', async () => {
    const first = await sealSecret(provider, binding, 'same secret');
    const second = await sealSecret(provider, binding, 'same secret');
    expect(first.iv.equals(second.iv)).toBe(false);
    expect(first.wrappedKey.equals(second.wrappedKey)).toBe(false);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
  });

  test('the sealed secret records format version 1 and the active master key id', async () => {
    const sealed = await sealSecret(provider, binding, 'secret');
    expect(sealed.formatVersion).toBe(1);
    expect(sealed.masterKeyId).toBe('k1');
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.ciphertext).toHaveLength(Buffer.byteLength('secret') + 16);
  });

  test('a different master key under the same id fails with DecryptionFailed naming the unwrap layer', async () => {
    const sealed = await sealSecret(providerWith(generateKeyring({ id: 'k1' })), binding, 'secret');
    const impostor = providerWith(generateKeyring({ id: 'k1' }));
    const failure = await openSecret(impostor, binding, sealed).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DecryptionFailed);
    expect(failure).toMatchObject({ code: 'DECRYPTION_FAILED', layer: 'data-key', masterKeyId: 'k1', binding });
    expect((failure as Error).message).toMatch(/data key did not unwrap under master key "k1"/);
    expect((failure as Error).message).toMatch(/secret secret-1 version 1 of tenant tenant-a/);
  });

  test('a master key id missing from the keyring fails with UnknownKeyId naming the id', async () => {
    const sealed = await sealSecret(providerWith(generateKeyring({ id: 'retired' })), binding, 'secret');
    const failure = await openSecret(providerWith(generateKeyring({ id: 'k2' })), binding, sealed).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UnknownKeyId);
    expect(failure).toMatchObject({ code: 'UNKNOWN_KEY_ID', keyId: 'retired' });
    expect((failure as Error).message).toMatch(/"retired" is not in the configured keyring \(it holds: "k2"\)/);
  });

  test('a lone UTF-16 surrogate in the secret or the binding is refused, not silently replaced', async () => {
    await expect(sealSecret(provider, binding, 'abc\uD800')).rejects.toThrow(InvalidInput);
    await expect(sealSecret(provider, { ...binding, tenantId: '\uDC00' }, 'abc')).rejects.toThrow(
      /tenantId is not well-formed Unicode/,
    );
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 53])('version %p is refused as InvalidInput', async (version) => {
    await expect(sealSecret(provider, { ...binding, version }, 'abc')).rejects.toThrow(InvalidInput);
  });

  test('data key buffers are zeroed once sealing and opening are done', async () => {
    const seen: Buffer[] = [];
    const recording: KeyEncryptionProvider = {
      activeKeyId: () => provider.activeKeyId(),
      hasKey: (keyId) => provider.hasKey(keyId),
      keyIds: () => provider.keyIds(),
      keyCheckValue: (keyId) => provider.keyCheckValue(keyId),
      wrapKey: async (dataKey, aad): Promise<WrappedKey> => {
        seen.push(dataKey);
        return provider.wrapKey(dataKey, aad);
      },
      unwrapKey: async (keyId, wrapped, aad) => {
        const dataKey = await provider.unwrapKey(keyId, wrapped, aad);
        seen.push(dataKey);
        return dataKey;
      },
    };
    const sealed = await sealSecret(recording, binding, 'secret');
    await openSecret(recording, binding, sealed);
    expect(seen).toHaveLength(2);
    for (const dataKey of seen) expect(dataKey.equals(Buffer.alloc(32))).toBe(true);
  });
});
