export type { KeyEncryptionProvider, WrappedKey } from './key-encryption-provider';
export { LocalKeyringProvider } from './local-keyring-provider';
export {
  type GenerateKeyringOptions,
  generateKeyring,
  type Keyring,
  type KeyringEntry,
  type KeyringSpec,
  parseKeyring,
  parseKeyringSpec,
  REMOTE_KEY_KINDS,
  type RemoteKeyKind,
} from './keyring';
export { MixedKeyringProvider } from './mixed-keyring-provider';
export type { RemoteMasterKey, RemoteMasterKeyFactory } from './remote-master-key';
export { AwsKmsMasterKey, type AwsKmsOptions, GcpKmsMasterKey, type GcpKmsOptions } from './cloud-kms';
export { type Pkcs11Config, Pkcs11MasterKey, Pkcs11Token } from './pkcs11-token';
export { readKeyringFile, readKeyringSpecFile, writeNewKeyringFile } from './keyring-file';
export { computeKeyCheck, verifyKeyCheck } from './key-check';
export type { SecretBinding } from './secret-binding';
export { openSecret, sealSecret } from './seal-secret';
export { type RewrapResult, rewrapSealed } from './rewrap-sealed';
export { SEALED_FORMAT_VERSION, type SealedSecret } from './sealed-secret';
export { decodeSealed, encodeSealed } from './sealed-blob';
export { fromSealedColumns, type SealedColumns, toSealedColumns } from './sealed-columns';
export { fingerprintSecret, SecretValue } from './secret-value';
export {
  DecryptionFailed,
  InvalidInput,
  InvalidKeyring,
  KeyCheckMismatch,
  KeyProviderUnavailable,
  type KeyringProblemPlace,
  MalformedSealedSecret,
  type SealLayer,
  UnknownKeyId,
  UnsupportedFormat,
  VaultError,
  type VaultErrorCode,
} from './vault-errors';
