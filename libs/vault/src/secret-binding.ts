import { encodeFields } from './length-prefixed-fields';
import { strictUtf8 } from './strict-utf8';
import { InvalidInput } from './vault-errors';

/** What a sealed secret is bound to: opening it under any other binding fails. */
export interface SecretBinding {
  readonly tenantId: string;
  readonly secretId: string;
  readonly version: number;
}

/**
 * Distinct labels keep the two AADs apart, so a wrapped data key can never authenticate as a
 * secret ciphertext, nor the other way round, even under the same binding.
 */
const SECRET_LABEL = 'messenger-vault:secret';
const DATA_KEY_LABEL = 'messenger-vault:data-key';

/** AAD of the AES-GCM layer that encrypts the secret under the data key. */
export function secretAad(binding: SecretBinding, formatVersion: number): Buffer {
  return bindingAad(SECRET_LABEL, binding, formatVersion);
}

/** AAD the master key wraps the data key with. */
export function dataKeyAad(binding: SecretBinding, formatVersion: number): Buffer {
  return bindingAad(DATA_KEY_LABEL, binding, formatVersion);
}

function bindingAad(label: string, binding: SecretBinding, formatVersion: number): Buffer {
  const version = Buffer.alloc(8);
  version.writeBigUInt64BE(BigInt(checkedVersion(binding.version)));
  return encodeFields([
    Buffer.from(label, 'ascii'),
    Buffer.of(formatVersion),
    strictUtf8('tenantId', binding.tenantId),
    strictUtf8('secretId', binding.secretId),
    version,
  ]);
}

function checkedVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new InvalidInput('version', 'must be a non-negative safe integer');
  }
  return version;
}
