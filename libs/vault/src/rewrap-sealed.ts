import { unwrapDataKey } from './data-key';
import type { KeyEncryptionProvider } from './key-encryption-provider';
import { dataKeyAad, type SecretBinding } from './secret-binding';
import { checkSealedSecret, type SealedSecret } from './sealed-secret';

export interface RewrapResult {
  readonly sealed: SealedSecret;
  /** False when the data key was already wrapped by the active master key: nothing to store. */
  readonly rewrapped: boolean;
}

/**
 * Master key rotation: re-wraps the data key under the active master key. The secret's
 * ciphertext and IV are untouched, so only `wrappedKey` and `masterKeyId` need writing back, and
 * the secret itself is never decrypted.
 */
export async function rewrapSealed(
  provider: KeyEncryptionProvider,
  binding: SecretBinding,
  sealed: SealedSecret,
): Promise<RewrapResult> {
  checkSealedSecret(sealed);
  if (sealed.masterKeyId === provider.activeKeyId()) return { sealed, rewrapped: false };

  const dataKey = await unwrapDataKey(provider, binding, sealed);
  try {
    const { keyId, wrapped } = await provider.wrapKey(dataKey, dataKeyAad(binding, sealed.formatVersion));
    return { sealed: { ...sealed, masterKeyId: keyId, wrappedKey: wrapped }, rewrapped: true };
  } finally {
    dataKey.fill(0);
  }
}
