import { checkFormatVersion, checkSealedSecret, type SealedSecret } from './sealed-secret';
import { MalformedSealedSecret } from './vault-errors';

/**
 * A sealed secret as the `secret_versions` row stores it. The format version travels as the
 * first byte of `ciphertext`, so a row read on its own says how to open it. A key rotation
 * rewrites only `wrappedKey` and `masterKeyId`; `ciphertext` and `iv` never change.
 */
export interface SealedColumns {
  /** bytea: format version byte, then ciphertext, then the 16-byte GCM tag. */
  readonly ciphertext: Buffer;
  /** bytea: 12 bytes. */
  readonly iv: Buffer;
  /** bytea: the data key wrapped by the master key. */
  readonly wrappedKey: Buffer;
  /** text */
  readonly masterKeyId: string;
}

export function toSealedColumns(sealed: SealedSecret): SealedColumns {
  checkSealedSecret(sealed);
  return {
    ciphertext: Buffer.concat([Buffer.of(sealed.formatVersion), sealed.ciphertext]),
    iv: Buffer.from(sealed.iv),
    wrappedKey: Buffer.from(sealed.wrappedKey),
    masterKeyId: sealed.masterKeyId,
  };
}

export function fromSealedColumns(columns: SealedColumns): SealedSecret {
  if (columns.ciphertext.length === 0) throw new MalformedSealedSecret('the ciphertext column is empty');
  const formatVersion = columns.ciphertext.readUInt8(0);
  checkFormatVersion(formatVersion);
  const sealed: SealedSecret = {
    formatVersion,
    masterKeyId: columns.masterKeyId,
    wrappedKey: Buffer.from(columns.wrappedKey),
    iv: Buffer.from(columns.iv),
    ciphertext: Buffer.from(columns.ciphertext.subarray(1)),
  };
  checkSealedSecret(sealed);
  return sealed;
}
