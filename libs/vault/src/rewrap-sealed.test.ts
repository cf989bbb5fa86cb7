import {
  DecryptionFailed,
  generateKeyring,
  LocalKeyringProvider,
  openSecret,
  parseKeyring,
  rewrapSealed,
  sealSecret,
  type SecretBinding,
  toSealedColumns,
} from './index';

const providerWith = (...keyringEntries: string[]) => new LocalKeyringProvider(parseKeyring(keyringEntries.join(',')));

const binding: SecretBinding = { tenantId: 'tenant-a', secretId: 'secret-1', version: 2 };
const oldKey = generateKeyring({ id: 'k-old' });
const newKey = generateKeyring({ id: 'k-new' });

describe('rewrapSealed', () => {
  test('after rewrap under a new active key, a keyring without the old key still opens the secret', async () => {
    const sealed = await sealSecret(providerWith(oldKey), binding, 'the secret');

    const { sealed: rewrapped, rewrapped: changed } = await rewrapSealed(providerWith(newKey, oldKey), binding, sealed);

    expect(changed).toBe(true);
    expect(rewrapped.masterKeyId).toBe('k-new');
    expect((await openSecret(providerWith(newKey), binding, rewrapped)).reveal()).toBe('the secret');
  });

  test('rewrap leaves the ciphertext, iv and format version untouched and changes only the wrapped key', async () => {
    const sealed = await sealSecret(providerWith(oldKey), binding, 'the secret');
    const { sealed: rewrapped } = await rewrapSealed(providerWith(newKey, oldKey), binding, sealed);

    expect(rewrapped.ciphertext.equals(sealed.ciphertext)).toBe(true);
    expect(rewrapped.iv.equals(sealed.iv)).toBe(true);
    expect(rewrapped.formatVersion).toBe(sealed.formatVersion);
    expect(rewrapped.wrappedKey.equals(sealed.wrappedKey)).toBe(false);
    expect(toSealedColumns(rewrapped).ciphertext.equals(toSealedColumns(sealed).ciphertext)).toBe(true);
  });

  test('a secret already under the active key is returned as is, flagged as not rewrapped', async () => {
    const provider = providerWith(newKey, oldKey);
    const sealed = await sealSecret(provider, binding, 'the secret');

    const result = await rewrapSealed(provider, binding, sealed);

    expect(result).toEqual({ sealed, rewrapped: false });
    expect(result.sealed).toBe(sealed);
  });

  test('rewrap under the wrong binding fails instead of laundering a moved row', async () => {
    const sealed = await sealSecret(providerWith(oldKey), binding, 'the secret');
    await expect(
      rewrapSealed(providerWith(newKey, oldKey), { ...binding, tenantId: 'tenant-b' }, sealed),
    ).rejects.toMatchObject({ code: 'DECRYPTION_FAILED', layer: 'data-key' });
    await expect(rewrapSealed(providerWith(newKey, oldKey), { ...binding, version: 3 }, sealed)).rejects.toThrow(
      DecryptionFailed,
    );
  });

  test('rewrap needs the old key: without it, UnknownKeyId names the missing id', async () => {
    const sealed = await sealSecret(providerWith(oldKey), binding, 'the secret');
    await expect(rewrapSealed(providerWith(newKey), binding, sealed)).rejects.toMatchObject({
      code: 'UNKNOWN_KEY_ID',
      keyId: 'k-old',
    });
  });
});
