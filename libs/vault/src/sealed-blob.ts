import { GCM_IV_BYTES } from './aes-gcm';
import { checkFormatVersion, checkSealedSecret, type SealedSecret } from './sealed-secret';
import { MalformedSealedSecret } from './vault-errors';

/**
 * A sealed secret as one self-describing byte string (for exports, queues, files):
 *
 *   u8  format version (1)
 *   u16 master key id length n, then n bytes of UTF-8 master key id
 *   u16 wrapped key length m, then m bytes of wrapped key
 *   12  bytes of iv
 *   the rest: ciphertext followed by the 16-byte GCM tag
 *
 * Lengths are big-endian. Nothing here is authenticated on its own: a tampered blob fails later,
 * when `openSecret` checks the two GCM tags.
 */
export function encodeSealed(sealed: SealedSecret): Buffer {
  checkSealedSecret(sealed);
  const keyId = Buffer.from(sealed.masterKeyId, 'utf8');
  return Buffer.concat([
    Buffer.of(sealed.formatVersion),
    u16(keyId.length),
    keyId,
    u16(sealed.wrappedKey.length),
    sealed.wrappedKey,
    sealed.iv,
    sealed.ciphertext,
  ]);
}

const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeSealed(blob: Buffer): SealedSecret {
  const reader = new BlobReader(blob);
  const formatVersion = reader.u8('format version');
  // Refuse an unknown version before reading further: a later version may lay out the rest differently.
  checkFormatVersion(formatVersion);
  const keyIdBytes = reader.bytes('master key id', reader.u16('master key id length'));
  let masterKeyId: string;
  try {
    masterKeyId = strictUtf8Decoder.decode(keyIdBytes);
  } catch {
    throw new MalformedSealedSecret('the master key id is not valid UTF-8');
  }
  const wrappedKey = reader.bytes('wrapped key', reader.u16('wrapped key length'));
  const iv = reader.bytes('iv', GCM_IV_BYTES);
  const sealed: SealedSecret = { formatVersion, masterKeyId, wrappedKey, iv, ciphertext: reader.rest() };
  checkSealedSecret(sealed);
  return sealed;
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

class BlobReader {
  #offset = 0;

  constructor(private readonly blob: Buffer) {}

  u8(field: string): number {
    return this.bytes(field, 1).readUInt8();
  }

  u16(field: string): number {
    return this.bytes(field, 2).readUInt16BE();
  }

  /** Copies, so the decoded secret does not keep the whole blob alive or share its memory. */
  bytes(field: string, length: number): Buffer {
    if (this.#offset + length > this.blob.length) {
      throw new MalformedSealedSecret(`the blob ends inside the ${field} (${this.blob.length} bytes in all)`);
    }
    const bytes = Buffer.from(this.blob.subarray(this.#offset, this.#offset + length));
    this.#offset += length;
    return bytes;
  }

  rest(): Buffer {
    return this.bytes('ciphertext', this.blob.length - this.#offset);
  }
}
