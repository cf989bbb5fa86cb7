import { randomBytes } from 'node:crypto';
// eslint-disable-next-line import-x/no-relative-packages -- tests/jest holds fixtures shared by every jest project, and is no workspace.
import { createSoftHsmToken, softHsmOrSkip, type SoftHsmToken } from '../../../tests/jest/softhsm';
import {
  DecryptionFailed,
  generateKeyring,
  InvalidInput,
  KeyProviderUnavailable,
  MixedKeyringProvider,
  openSecret,
  parseKeyring,
  parseKeyringSpec,
  Pkcs11Token,
  sealSecret,
  type SecretBinding,
} from './index';

const suite = softHsmOrSkip('PKCS#11 master keys (SoftHSM2)') ? describe : describe.skip;
const binding: SecretBinding = { tenantId: 'tenant-a', secretId: 'secret-1', version: 1 };

suite('PKCS#11 master keys against SoftHSM2', () => {
  let hsm: SoftHsmToken;
  let token: Pkcs11Token;

  beforeEach(() => {
    hsm = createSoftHsmToken();
    token = new Pkcs11Token({ module: hsm.module, tokenLabel: hsm.label, pin: () => hsm.pin });
  });
  afterEach(() => {
    token.close();
    hsm.cleanup();
  });

  const providerFor = (keyring: string, t: Pkcs11Token = token) =>
    new MixedKeyringProvider(parseKeyringSpec(keyring), (e: { id: string; ref: string }) => t.key(e.id, e.ref));

  it('seals and opens secrets under a key that never leaves the token, with the binding authenticated', async () => {
    token.generateKey('mv-kek-1');
    const provider = providerFor('hsm1:pkcs11:mv-kek-1');
    const sealed = await sealSecret(provider, binding, 'intercom-secret-value');
    expect(sealed.masterKeyId).toBe('hsm1');
    expect(sealed.wrappedKey[0]).toBe(0x01);
    expect((await openSecret(provider, binding, sealed)).reveal()).toBe('intercom-secret-value');
    // The same row under another binding does not open: the binding is GCM AAD inside the token.
    await expect(openSecret(provider, { ...binding, tenantId: 'tenant-b' }, sealed)).rejects.toBeInstanceOf(
      DecryptionFailed,
    );
    const flipped = Buffer.from(sealed.wrappedKey);
    flipped[20] = flipped[20]! ^ 1;
    await expect(openSecret(provider, binding, { ...sealed, wrappedKey: flipped })).rejects.toBeInstanceOf(
      DecryptionFailed,
    );
    // Still serving after the failed authentications.
    expect((await openSecret(provider, binding, sealed)).reveal()).toBe('intercom-secret-value');
  });

  it('mixes local and HSM keys: each id opens what it wrapped, the first entry wraps', async () => {
    token.generateKey('mv-kek-1');
    const local = generateKeyring({ id: 'k1' });
    const localFirst = providerFor(`${local},hsm1:pkcs11:mv-kek-1`);
    const hsmFirst = providerFor(`hsm1:pkcs11:mv-kek-1,${local}`);
    const underLocal = await sealSecret(localFirst, binding, 'a');
    const underHsm = await sealSecret(hsmFirst, binding, 'b');
    expect([underLocal.masterKeyId, underHsm.masterKeyId]).toEqual(['k1', 'hsm1']);
    for (const p of [localFirst, hsmFirst]) {
      expect((await openSecret(p, binding, underLocal)).reveal()).toBe('a');
      expect((await openSecret(p, binding, underHsm)).reveal()).toBe('b');
    }
    expect(hsmFirst.keyIds()).toEqual(['hsm1', 'k1']);
  });

  it('gives a deterministic check value that differs between two token keys', async () => {
    token.generateKey('a');
    token.generateKey('b');
    const p = providerFor('x:pkcs11:a,y:pkcs11:b');
    const [a1, a2, b] = [await p.keyCheckValue('x'), await p.keyCheckValue('x'), await p.keyCheckValue('y')];
    expect(a1).toMatch(/^pkcs11-aes-cmac:[0-9a-f]{32}$/);
    expect(a1).toBe(a2);
    expect(b).not.toBe(a1);
  });

  it('refuses to generate over an existing label', () => {
    token.generateKey('mv-kek-1');
    expect(() => token.generateKey('mv-kek-1')).toThrow(InvalidInput);
    expect(() => token.generateKey('mv-kek-1')).toThrow(/already names a key/);
  });

  it('names the PKCS#11 problem for a wrong PIN, never the PIN, and does not retry it', async () => {
    token.generateKey('mv-kek-1');
    // Login state is per process in PKCS#11: log the good PIN out first.
    token.close();
    const wrong = new Pkcs11Token({ module: hsm.module, tokenLabel: hsm.label, pin: () => '0000-wrong-pin' });
    const p = providerFor('hsm1:pkcs11:mv-kek-1', wrong);
    let pins = 0;
    const counting = new Pkcs11Token({
      module: hsm.module,
      tokenLabel: hsm.label,
      pin: () => {
        pins += 1;
        return '0000-wrong-pin';
      },
    });
    try {
      const err = await p.keyCheckValue('hsm1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeyProviderUnavailable);
      expect((err as Error).message).toMatch(/CKR_PIN_INCORRECT/);
      expect((err as Error).message).toMatch(/VAULT_PKCS11_PIN/);
      expect((err as Error).message).not.toContain('0000-wrong-pin');
      const cp = providerFor('hsm1:pkcs11:mv-kek-1', counting);
      await expect(cp.keyCheckValue('hsm1')).rejects.toThrow(/CKR_PIN_INCORRECT/);
      await new Promise((r) => setTimeout(r, 1_100));
      await expect(cp.keyCheckValue('hsm1')).rejects.toThrow(/CKR_PIN_INCORRECT/);
      expect(pins).toBe(1);
    } finally {
      wrong.close();
      counting.close();
    }
  });

  it('names a missing key and a missing token', async () => {
    const p = providerFor('hsm1:pkcs11:no-such-key');
    await expect(p.keyCheckValue('hsm1')).rejects.toThrow(
      /no secret key labelled "no-such-key".*vault:generate-key --pkcs11/,
    );
    const other = new Pkcs11Token({ module: hsm.module, tokenLabel: 'not-a-token', pin: () => hsm.pin });
    try {
      await expect(providerFor('hsm1:pkcs11:k', other).wrapKey(randomBytes(32), Buffer.alloc(0))).rejects.toThrow(
        /no PKCS#11 token labelled "not-a-token".*CKR_TOKEN_NOT_PRESENT/,
      );
    } finally {
      other.close();
    }
  });

  it('fails as unavailable (not as bad data) while the token is unplugged, and heals when it is back', async () => {
    token.generateKey('mv-kek-1');
    const p = providerFor('hsm1:pkcs11:mv-kek-1');
    const sealed = await sealSecret(p, binding, 'value');
    hsm.unplug();
    const err = await openSecret(p, binding, sealed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyProviderUnavailable);
    expect(err).not.toBeInstanceOf(DecryptionFailed);
    await expect(sealSecret(p, binding, 'x')).rejects.toBeInstanceOf(KeyProviderUnavailable);
    hsm.plugBackIn();
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await openSecret(p, binding, sealed)).reveal()).toBe('value');
  });
});

describe('keyring entries naming HSM and KMS keys', () => {
  it('reads pkcs11, awskms and gcpkms entries next to local ones', () => {
    const local = generateKeyring({ id: 'k1' });
    const spec = parseKeyringSpec(
      `hsm1:pkcs11:mv-kek-1, ${local}, aws1:awskms:arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab,` +
        'gcp1:gcpkms:projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k',
    );
    expect(spec.activeKeyId).toBe('hsm1');
    expect(spec.entries.map((e) => [e.id, e.kind])).toEqual([
      ['hsm1', 'pkcs11'],
      ['k1', 'local'],
      ['aws1', 'awskms'],
      ['gcp1', 'gcpkms'],
    ]);
  });

  it('keeps parseKeyring (local keys only) from taking an HSM entry', () => {
    expect(() => parseKeyring(`${generateKeyring({ id: 'k1' })},hsm1:pkcs11:mv-kek-1`)).toThrow(
      /entry 2, key id "hsm1".*names a pkcs11 key; only local keys are accepted here/,
    );
  });

  it.each([
    ['a:awskms:alias/mine', /key ARN/],
    ['a:gcpkms:projects/p/keyRings/r', /projects\/<p>\/locations/],
    ['a:pkcs11:', /1 to 128 printable/],
  ])('refuses %s with the rule', (text, rule) => {
    expect(() => parseKeyringSpec(text)).toThrow(rule);
  });
});
