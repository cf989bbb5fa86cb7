import { timingSafeEqual } from 'node:crypto';
import type { KeyEncryptionProvider } from './key-encryption-provider';
import { KeyCheckMismatch } from './vault-errors';

/**
 * Key check values let the API notice, at start, that the key configured under an id is not the
 * key that wrapped the stored data (a mistyped or regenerated key reusing an old id), before it
 * fails one secret at a time. Store `computeKeyCheck` per master key id when the id is first used.
 */
export function computeKeyCheck(provider: KeyEncryptionProvider, keyId: string): Promise<string> {
  return provider.keyCheckValue(keyId);
}

/** Throws `KeyCheckMismatch` when the configured key differs, `UnknownKeyId` when there is none. */
export async function verifyKeyCheck(provider: KeyEncryptionProvider, keyId: string, stored: string): Promise<void> {
  const actual = Buffer.from(await provider.keyCheckValue(keyId), 'utf8');
  const expected = Buffer.from(stored, 'utf8');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new KeyCheckMismatch(keyId);
  }
}
