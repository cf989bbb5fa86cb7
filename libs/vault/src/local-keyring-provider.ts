import { createHmac, randomBytes } from 'node:crypto';
import { GCM_IV_BYTES, GCM_TAG_BYTES, gcmDecrypt, gcmEncrypt } from './aes-gcm';
import type { KeyEncryptionProvider, WrappedKey } from './key-encryption-provider';
import { checkKeyring, type Keyring } from './keyring';
import { DecryptionFailed, UnknownKeyId } from './vault-errors';

const KEY_CHECK_LABEL = 'messenger-vault:key-check';
const KEY_CHECK_BYTES = 16;

/**
 * Master keys held in process memory, from `VAULT_KEYRING` or a keyring file. A wrapped data key
 * is `iv (12 bytes) || GCM tag (16) || encrypted data key (32)`: AES-256-GCM under the master
 * key, with a random IV per wrap and the caller's AAD.
 */
export class LocalKeyringProvider implements KeyEncryptionProvider {
  readonly #activeKeyId: string;
  readonly #keys = new Map<string, Buffer>();

  /** Copies the keys, so the caller may zero its keyring afterwards. */
  constructor(keyring: Keyring) {
    checkKeyring(keyring);
    this.#activeKeyId = keyring.activeKeyId;
    const ordered = [keyring.activeKeyId, ...[...keyring.keys.keys()].filter((id) => id !== keyring.activeKeyId)];
    for (const id of ordered) this.#keys.set(id, Buffer.from(keyring.keys.get(id) as Buffer));
  }

  activeKeyId(): string {
    return this.#activeKeyId;
  }

  hasKey(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  async wrapKey(dataKey: Buffer, aad: Buffer): Promise<WrappedKey> {
    const keyId = this.#activeKeyId;
    const iv = randomBytes(GCM_IV_BYTES);
    const { ciphertext, tag } = gcmEncrypt(this.#key(keyId), iv, dataKey, aad);
    return { keyId, wrapped: Buffer.concat([iv, tag, ciphertext]) };
  }

  async unwrapKey(keyId: string, wrapped: Buffer, aad: Buffer): Promise<Buffer> {
    const masterKey = this.#key(keyId);
    const iv = wrapped.subarray(0, GCM_IV_BYTES);
    const tag = wrapped.subarray(GCM_IV_BYTES, GCM_IV_BYTES + GCM_TAG_BYTES);
    const ciphertext = wrapped.subarray(GCM_IV_BYTES + GCM_TAG_BYTES);
    const dataKey = gcmDecrypt(masterKey, iv, { ciphertext, tag }, aad);
    if (dataKey === undefined) throw new DecryptionFailed('data-key', keyId);
    return dataKey;
  }

  /** HMAC-SHA256 of a fixed label under the master key, truncated to 128 bits. */
  async keyCheckValue(keyId: string): Promise<string> {
    const mac = createHmac('sha256', this.#key(keyId)).update(KEY_CHECK_LABEL).digest();
    return `hmac-sha256:${mac.subarray(0, KEY_CHECK_BYTES).toString('hex')}`;
  }

  toJSON(): { activeKeyId: string; keyIds: string[] } {
    return { activeKeyId: this.#activeKeyId, keyIds: this.keyIds() };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const keyIds = this.keyIds().map((id) => `"${id}"`);
    return `LocalKeyringProvider { activeKeyId: "${this.#activeKeyId}", keyIds: [${keyIds.join(', ')}] }`;
  }

  #key(keyId: string): Buffer {
    const key = this.#keys.get(keyId);
    if (key === undefined) throw new UnknownKeyId(keyId, this.keyIds());
    return key;
  }
}
