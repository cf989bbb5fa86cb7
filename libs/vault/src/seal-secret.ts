import { randomBytes } from 'node:crypto';
import { GCM_IV_BYTES, GCM_TAG_BYTES, gcmDecrypt, gcmEncrypt } from './aes-gcm';
import { unwrapDataKey } from './data-key';
import type { KeyEncryptionProvider } from './key-encryption-provider';
import { dataKeyAad, secretAad, type SecretBinding } from './secret-binding';
import { SecretValue } from './secret-value';
import { checkSealedSecret, DATA_KEY_BYTES, SEALED_FORMAT_VERSION, type SealedSecret } from './sealed-secret';
import { strictUtf8 } from './strict-utf8';
import { DecryptionFailed } from './vault-errors';

/**
 * Envelope-encrypts one secret version: a fresh random data key encrypts the secret, the active
 * master key wraps the data key. Both layers are bound to tenant, secret and version, so a row
 * copied to another tenant or secret, or relabelled with another version, fails to open.
 */
export async function sealSecret(
  provider: KeyEncryptionProvider,
  binding: SecretBinding,
  plaintext: string,
): Promise<SealedSecret> {
  const formatVersion = SEALED_FORMAT_VERSION;
  const aad = secretAad(binding, formatVersion);
  const wrapAad = dataKeyAad(binding, formatVersion);
  const message = strictUtf8('plaintext', plaintext);
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    const iv = randomBytes(GCM_IV_BYTES);
    const { ciphertext, tag } = gcmEncrypt(dataKey, iv, message, aad);
    const { keyId, wrapped } = await provider.wrapKey(dataKey, wrapAad);
    return { formatVersion, masterKeyId: keyId, wrappedKey: wrapped, iv, ciphertext: Buffer.concat([ciphertext, tag]) };
  } finally {
    // Best effort: JS strings and OpenSSL's own copies are out of reach, our buffers are not.
    dataKey.fill(0);
    message.fill(0);
  }
}

/**
 * Opens a sealed secret under the binding it was sealed with. Throws `UnsupportedFormat` or
 * `MalformedSealedSecret` for bytes it cannot read, `UnknownKeyId` when the master key is not
 * configured, and `DecryptionFailed` naming the layer when authentication fails.
 */
export async function openSecret(
  provider: KeyEncryptionProvider,
  binding: SecretBinding,
  sealed: SealedSecret,
): Promise<SecretValue> {
  checkSealedSecret(sealed);
  const aad = secretAad(binding, sealed.formatVersion);
  const dataKey = await unwrapDataKey(provider, binding, sealed);
  let message: Buffer | undefined;
  try {
    const tagStart = sealed.ciphertext.length - GCM_TAG_BYTES;
    message = gcmDecrypt(
      dataKey,
      sealed.iv,
      { ciphertext: sealed.ciphertext.subarray(0, tagStart), tag: sealed.ciphertext.subarray(tagStart) },
      aad,
    );
    if (message === undefined) throw new DecryptionFailed('secret', sealed.masterKeyId, binding);
    return new SecretValue(message.toString('utf8'), binding.tenantId);
  } finally {
    dataKey.fill(0);
    message?.fill(0);
  }
}
