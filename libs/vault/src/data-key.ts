import type { KeyEncryptionProvider } from './key-encryption-provider';
import { dataKeyAad, type SecretBinding } from './secret-binding';
import { DATA_KEY_BYTES, type SealedSecret } from './sealed-secret';
import { DecryptionFailed } from './vault-errors';

/**
 * The data key of a sealed secret, unwrapped under its binding. The caller owns the returned
 * buffer and zeroes it when done.
 */
export async function unwrapDataKey(
  provider: KeyEncryptionProvider,
  binding: SecretBinding,
  sealed: SealedSecret,
): Promise<Buffer> {
  const aad = dataKeyAad(binding, sealed.formatVersion);
  let dataKey: Buffer;
  try {
    dataKey = await provider.unwrapKey(sealed.masterKeyId, sealed.wrappedKey, aad);
  } catch (error) {
    // The provider cannot know the binding; name it here so the message says which row failed.
    if (error instanceof DecryptionFailed) throw new DecryptionFailed('data-key', sealed.masterKeyId, binding);
    throw error;
  }
  if (dataKey.length !== DATA_KEY_BYTES) {
    dataKey.fill(0);
    throw new DecryptionFailed('data-key', sealed.masterKeyId, binding);
  }
  return dataKey;
}
