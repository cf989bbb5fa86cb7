import {
  computeKeyCheck,
  generateKeyring,
  KeyCheckMismatch,
  LocalKeyringProvider,
  parseKeyring,
  UnknownKeyId,
  verifyKeyCheck,
} from './index';

const providerWith = (...keyringEntries: string[]) => new LocalKeyringProvider(parseKeyring(keyringEntries.join(',')));

describe('key check values', () => {
  const k1 = generateKeyring({ id: 'k1' });
  const k0 = generateKeyring({ id: 'k0' });

  test('the same key under the same id verifies, across provider instances', async () => {
    const stored = await computeKeyCheck(providerWith(k1, k0), 'k1');
    expect(stored).toMatch(/^hmac-sha256:[0-9a-f]{32}$/);
    await expect(verifyKeyCheck(providerWith(k0, k1), 'k1', stored)).resolves.toBeUndefined();
  });

  test('a different key configured under the same id is detected as KeyCheckMismatch naming the id', async () => {
    const stored = await computeKeyCheck(providerWith(k1), 'k1');
    const regenerated = providerWith(generateKeyring({ id: 'k1' }));
    const failure = await verifyKeyCheck(regenerated, 'k1', stored).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KeyCheckMismatch);
    expect(failure).toMatchObject({ code: 'KEY_CHECK_MISMATCH', keyId: 'k1' });
    expect((failure as Error).message).toMatch(/master key "k1" is not the key that wrapped the stored data/);
  });

  test('different keys give different check values, and none contains the key', async () => {
    const provider = providerWith(k1, k0);
    const [check1, check0] = [await computeKeyCheck(provider, 'k1'), await computeKeyCheck(provider, 'k0')];
    expect(check1).not.toBe(check0);
    for (const entry of [k1, k0]) {
      const key = Buffer.from(entry.split(':')[1] as string, 'base64');
      expect(check1 + check0).not.toContain(key.toString('hex').slice(0, 8));
    }
  });

  test('a stored value of another shape, or an id the keyring lacks, fails', async () => {
    await expect(verifyKeyCheck(providerWith(k1), 'k1', 'garbage')).rejects.toThrow(KeyCheckMismatch);
    await expect(verifyKeyCheck(providerWith(k1), 'k9', 'garbage')).rejects.toThrow(UnknownKeyId);
  });
});
