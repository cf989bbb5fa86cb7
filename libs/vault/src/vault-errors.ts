/**
 * Every failure the vault reports. Messages name ids, indexes, lengths and version numbers so a
 * person knows what to fix, and never carry key bytes, key text or plaintext: they end up in logs.
 */
import type { SecretBinding } from './secret-binding';

export type VaultErrorCode =
  | 'UNKNOWN_KEY_ID'
  | 'DECRYPTION_FAILED'
  | 'UNSUPPORTED_FORMAT'
  | 'INVALID_KEYRING'
  | 'MALFORMED_SEALED_SECRET'
  | 'KEY_CHECK_MISMATCH'
  | 'INVALID_INPUT'
  | 'KEY_PROVIDER_UNAVAILABLE';

export abstract class VaultError extends Error {
  abstract readonly code: VaultErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A sealed secret, or a key check, names a master key id the configured keyring does not hold. */
export class UnknownKeyId extends VaultError {
  readonly code = 'UNKNOWN_KEY_ID';

  constructor(
    readonly keyId: string,
    knownKeyIds: readonly string[],
  ) {
    const held = knownKeyIds.map((id) => `"${id}"`).join(', ') || 'nothing';
    super(
      `master key "${keyId}" is not in the configured keyring (it holds: ${held}); ` +
        'add the key that wrapped this data to the keyring, behind the active one',
    );
  }
}

/** The two AES-GCM layers of a sealed secret: the wrapped data key, and the secret itself. */
export type SealLayer = 'data-key' | 'secret';

export class DecryptionFailed extends VaultError {
  readonly code = 'DECRYPTION_FAILED';

  constructor(
    readonly layer: SealLayer,
    readonly masterKeyId: string,
    readonly binding?: SecretBinding,
  ) {
    const what = binding
      ? `secret ${binding.secretId} version ${binding.version} of tenant ${binding.tenantId}`
      : 'a data key';
    const why =
      layer === 'data-key'
        ? `the data key did not unwrap under master key "${masterKeyId}": the key configured under that id differs from the one that wrapped it, or the row was altered or copied from another secret`
        : 'the secret ciphertext failed authentication: the row was altered or copied from another secret';
    super(`could not decrypt ${what}: ${why}`);
  }
}

export class UnsupportedFormat extends VaultError {
  readonly code = 'UNSUPPORTED_FORMAT';

  constructor(
    readonly formatVersion: number,
    supported: readonly number[],
  ) {
    super(
      `sealed secret format version ${formatVersion} (0x${formatVersion.toString(16).padStart(2, '0')}) is not supported; ` +
        `this build reads version ${supported.join(', ')}`,
    );
  }
}

export interface KeyringProblemPlace {
  /** Counts from 1 in the order the keyring lists its entries. */
  readonly entry?: number;
  /** Set only once the id itself is valid: a mangled entry may be key text. */
  readonly keyId?: string;
  /** Where the keyring came from, such as a file path; never its contents. */
  readonly source?: string;
}

export class InvalidKeyring extends VaultError {
  readonly code = 'INVALID_KEYRING';

  constructor(
    readonly problem: string,
    readonly place: KeyringProblemPlace = {},
  ) {
    const where = [
      place.source === undefined ? '' : `in ${place.source}`,
      place.entry === undefined ? '' : `entry ${place.entry}`,
      place.keyId === undefined ? '' : `key id "${place.keyId}"`,
    ]
      .filter(Boolean)
      .join(', ');
    super(`invalid keyring${where ? ` (${where})` : ''}: ${problem}`);
  }
}

export class MalformedSealedSecret extends VaultError {
  readonly code = 'MALFORMED_SEALED_SECRET';

  constructor(problem: string) {
    super(`malformed sealed secret: ${problem}`);
  }
}

export class KeyCheckMismatch extends VaultError {
  readonly code = 'KEY_CHECK_MISMATCH';

  constructor(readonly keyId: string) {
    super(
      `master key "${keyId}" is not the key that wrapped the stored data (its key check value differs); ` +
        'configure the original key under this id, or give a new key a new id',
    );
  }
}

/** A caller passed something the vault cannot seal faithfully (a bad version number, a lone UTF-16 surrogate). */
export class InvalidInput extends VaultError {
  readonly code = 'INVALID_INPUT';

  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

/**
 * The HSM or KMS holding a master key can't be used right now (token gone, wrong PIN, key
 * missing, network or permission error). Never a verdict on the data: callers answer 503 and
 * try again, they never treat the secret as broken. The message names the key id, the kind of
 * store and the store's own error name (a PKCS#11 CKR_ code, an AWS/GCP error code), never a
 * PIN or key material.
 */
export class KeyProviderUnavailable extends VaultError {
  readonly code = 'KEY_PROVIDER_UNAVAILABLE';

  constructor(
    readonly keyId: string,
    readonly problem: string,
  ) {
    super(`master key "${keyId}" is unavailable: ${problem}`);
  }
}
