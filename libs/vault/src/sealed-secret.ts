import { AES_256_KEY_BYTES, GCM_IV_BYTES, GCM_TAG_BYTES } from './aes-gcm';
import { MalformedSealedSecret, UnsupportedFormat } from './vault-errors';

/**
 * Version 1: AES-256-GCM under a fresh data key, that key wrapped by a master key, AADs as in
 * `secret-binding.ts`. A new layout or algorithm gets a new number; old rows keep opening.
 */
export const SEALED_FORMAT_VERSION = 1;
const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [SEALED_FORMAT_VERSION];

/** Key ids and wrapped keys carry a 16-bit length in the single-blob form. */
export const MAX_FIELD_BYTES = 0xffff;

export const DATA_KEY_BYTES = AES_256_KEY_BYTES;

/** One secret version, encrypted. Safe to store and to log: it holds no key or plaintext. */
export interface SealedSecret {
  readonly formatVersion: number;
  /** Id of the master key that wrapped `wrappedKey`. */
  readonly masterKeyId: string;
  /** The data key, wrapped by the master key; its layout belongs to the provider. */
  readonly wrappedKey: Buffer;
  /** 12-byte random IV of the secret layer. */
  readonly iv: Buffer;
  /** AES-256-GCM ciphertext of the secret's UTF-8 bytes, followed by the 16-byte GCM tag. */
  readonly ciphertext: Buffer;
}

/** Throws `UnsupportedFormat` or `MalformedSealedSecret` before any key is touched. */
export function checkSealedSecret(sealed: SealedSecret): void {
  checkFormatVersion(sealed.formatVersion);
  const keyIdBytes = Buffer.byteLength(sealed.masterKeyId, 'utf8');
  if (keyIdBytes === 0 || keyIdBytes > MAX_FIELD_BYTES) {
    throw new MalformedSealedSecret(`the master key id must be 1 to ${MAX_FIELD_BYTES} bytes, got ${keyIdBytes}`);
  }
  if (sealed.wrappedKey.length === 0 || sealed.wrappedKey.length > MAX_FIELD_BYTES) {
    throw new MalformedSealedSecret(
      `the wrapped key must be 1 to ${MAX_FIELD_BYTES} bytes, got ${sealed.wrappedKey.length}`,
    );
  }
  if (sealed.iv.length !== GCM_IV_BYTES) {
    throw new MalformedSealedSecret(`the iv must be ${GCM_IV_BYTES} bytes, got ${sealed.iv.length}`);
  }
  if (sealed.ciphertext.length < GCM_TAG_BYTES) {
    throw new MalformedSealedSecret(
      `the ciphertext must hold at least the ${GCM_TAG_BYTES}-byte tag, got ${sealed.ciphertext.length} bytes`,
    );
  }
}

export function checkFormatVersion(formatVersion: number): void {
  if (!SUPPORTED_FORMAT_VERSIONS.includes(formatVersion)) {
    throw new UnsupportedFormat(formatVersion, SUPPORTED_FORMAT_VERSIONS);
  }
}
