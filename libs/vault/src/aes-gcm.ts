import { createCipheriv, createDecipheriv } from 'node:crypto';

/** AES-256-GCM as both layers use it: 256-bit keys, random 96-bit IVs, full 128-bit tags. */
export const AES_256_KEY_BYTES = 32;
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export interface GcmSealed {
  ciphertext: Buffer;
  tag: Buffer;
}

export function gcmEncrypt(key: Buffer, iv: Buffer, plaintext: Buffer, aad: Buffer): GcmSealed {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** The plaintext, or undefined when the tag does not authenticate key, IV, ciphertext and AAD together. */
export function gcmDecrypt(key: Buffer, iv: Buffer, sealed: GcmSealed, aad: Buffer): Buffer | undefined {
  if (key.length !== AES_256_KEY_BYTES || iv.length !== GCM_IV_BYTES || sealed.tag.length !== GCM_TAG_BYTES) {
    return undefined;
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  const head = decipher.update(sealed.ciphertext);
  try {
    return Buffer.concat([head, decipher.final()]);
  } catch {
    // Unauthenticated bytes must never leave this function, not even in memory we hand back.
    head.fill(0);
    return undefined;
  }
}
