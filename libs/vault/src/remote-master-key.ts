import type { RemoteKeyKind } from './keyring';

/**
 * One master key that lives in an HSM or a cloud KMS. The provider for a mixed keyring routes
 * each key id to its `RemoteMasterKey`; the key bytes never reach this process.
 *
 * - `wrap` and `unwrap` throw `KeyProviderUnavailable` when the store can't be used (gone,
 *   refused, misconfigured), and `unwrap` throws `DecryptionFailed` (layer `data-key`) when the
 *   store answered that the bytes or the AAD do not authenticate.
 * - `checkValue` reaches the store (so a start-up check proves it works) and is deterministic
 *   per key.
 */
export interface RemoteMasterKey {
  readonly keyId: string;
  readonly kind: RemoteKeyKind;
  /** For messages and `vault:status`: where the key is, never a secret. */
  readonly description: string;
  wrap(dataKey: Buffer, aad: Buffer): Promise<Buffer>;
  unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer>;
  checkValue(): Promise<string>;
  /** Releases sessions and connections. */
  close?(): Promise<void>;
}

export type RemoteMasterKeyFactory = (entry: { id: string; kind: RemoteKeyKind; ref: string }) => RemoteMasterKey;
