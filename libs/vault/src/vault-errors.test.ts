import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import {
  DecryptionFailed,
  decodeSealed,
  encodeSealed,
  generateKeyring,
  InvalidInput,
  InvalidKeyring,
  KeyCheckMismatch,
  LocalKeyringProvider,
  MalformedSealedSecret,
  openSecret,
  parseKeyring,
  sealSecret,
  type SecretBinding,
  UnknownKeyId,
  UnsupportedFormat,
  VaultError,
} from './index';

const keyringText = `${generateKeyring({ id: 'k1' })},${generateKeyring({ id: 'k0' })}`;
const provider = new LocalKeyringProvider(parseKeyring(keyringText));
const binding: SecretBinding = { tenantId: 'tenant-a', secretId: 'secret-1', version: 4 };
const canary = `canary-${randomBytes(16).toString('hex')}`;

async function failureOf(action: () => unknown): Promise<VaultError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('expected a VaultError');
}

describe('vault errors', () => {
  test('a tampered ciphertext fails with DecryptionFailed naming the secret layer and the binding', async () => {
    const sealed = await sealSecret(provider, binding, canary);
    const ciphertext = Buffer.from(sealed.ciphertext);
    ciphertext[0] = (ciphertext[0] as number) ^ 1;
    const failure = await failureOf(() => openSecret(provider, binding, { ...sealed, ciphertext }));
    expect(failure).toBeInstanceOf(DecryptionFailed);
    expect(failure).toMatchObject({ layer: 'secret', binding });
    expect(failure.message).toBe(
      'could not decrypt secret secret-1 version 4 of tenant tenant-a: the secret ciphertext failed authentication: ' +
        'the row was altered or copied from another secret',
    );
  });

  test('no error message, stack, JSON or inspect output contains the plaintext or any key material', async () => {
    const sealed = await sealSecret(provider, binding, canary);
    const otherKeyring = new LocalKeyringProvider(parseKeyring(generateKeyring({ id: 'k1' })));
    const ciphertext = Buffer.from(sealed.ciphertext);
    ciphertext[0] = (ciphertext[0] as number) ^ 1;
    const failures = [
      await failureOf(() => openSecret(provider, { ...binding, tenantId: 'tenant-b' }, sealed)),
      await failureOf(() => openSecret(provider, binding, { ...sealed, ciphertext })),
      await failureOf(() => openSecret(otherKeyring, binding, sealed)),
      await failureOf(() => openSecret(provider, binding, { ...sealed, masterKeyId: 'k9' })),
      await failureOf(() => openSecret(provider, binding, { ...sealed, formatVersion: 7 })),
      await failureOf(() => decodeSealed(encodeSealed(sealed).subarray(0, 20))),
      await failureOf(() => sealSecret(provider, binding, `${canary}\uD800`)),
      await failureOf(() => parseKeyring(keyringText.replace(',', ',,'))),
      await failureOf(() => parseKeyring(keyringText.replace('k0:', 'k1:'))),
      await failureOf(() => parseKeyring(keyringText.replace(/=/g, ''))),
    ];
    const keyTexts = keyringText.split(',').map((entry) => entry.split(':')[1] as string);
    const keyForms = keyTexts.flatMap((text) => {
      const key = Buffer.from(text, 'base64');
      return [text.slice(0, 12), key.toString('hex').slice(0, 12), key.toString('base64url').slice(0, 12)];
    });
    for (const failure of failures) {
      const printed = [
        failure.message,
        failure.stack ?? '',
        JSON.stringify(failure),
        inspect(failure, { showHidden: true }),
      ].join('\n');
      expect(printed).not.toContain(canary);
      for (const form of keyForms) expect(printed).not.toContain(form);
    }
  });

  test('every error extends VaultError with a stable code and its own name', () => {
    const errors: Array<[VaultError, string, string]> = [
      [new UnknownKeyId('k1', []), 'UNKNOWN_KEY_ID', 'UnknownKeyId'],
      [new DecryptionFailed('data-key', 'k1'), 'DECRYPTION_FAILED', 'DecryptionFailed'],
      [new UnsupportedFormat(2, [1]), 'UNSUPPORTED_FORMAT', 'UnsupportedFormat'],
      [new InvalidKeyring('it is empty'), 'INVALID_KEYRING', 'InvalidKeyring'],
      [new MalformedSealedSecret('too short'), 'MALFORMED_SEALED_SECRET', 'MalformedSealedSecret'],
      [new KeyCheckMismatch('k1'), 'KEY_CHECK_MISMATCH', 'KeyCheckMismatch'],
      [new InvalidInput('version', 'must be a number'), 'INVALID_INPUT', 'InvalidInput'],
    ];
    for (const [error, code, name] of errors) {
      expect(error).toBeInstanceOf(VaultError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
    }
  });
});
