/** A data key wrapped under a master key, with the id of the master key that wrapped it. */
export interface WrappedKey {
  keyId: string;
  wrapped: Buffer;
}

/**
 * Holds the master keys (KEKs) and never hands them out: callers only wrap and unwrap data keys
 * and ask for check values. Everything that may talk to a remote KMS is async, so a cloud
 * provider can replace the local keyring without touching callers.
 *
 * Contract for implementations:
 * - `unwrapKey` throws `UnknownKeyId` for an id it does not hold, and `DecryptionFailed` (layer
 *   `data-key`, no binding) when the wrapped bytes or the AAD do not authenticate under that key.
 * - `keyCheckValue` is deterministic for a given key and differs, except with negligible
 *   probability, between two different keys; it reveals nothing usable about the key.
 */
export interface KeyEncryptionProvider {
  activeKeyId(): string;
  hasKey(keyId: string): boolean;
  /** Every key id held, the active one first. */
  keyIds(): string[];
  /** Wraps under the active master key. */
  wrapKey(dataKey: Buffer, aad: Buffer): Promise<WrappedKey>;
  unwrapKey(keyId: string, wrapped: Buffer, aad: Buffer): Promise<Buffer>;
  keyCheckValue(keyId: string): Promise<string>;
}
