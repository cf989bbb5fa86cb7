import type { KeyEncryptionProvider, WrappedKey } from './key-encryption-provider';
import type { KeyringSpec } from './keyring';
import { LocalKeyringProvider } from './local-keyring-provider';
import type { RemoteMasterKey, RemoteMasterKeyFactory } from './remote-master-key';
import { InvalidKeyring, UnknownKeyId } from './vault-errors';

/**
 * A keyring whose entries may be local keys, HSM keys or KMS keys, in any order; the first is
 * active. Local keys are handled by a `LocalKeyringProvider`, the others by their store. A
 * keyring without remote entries behaves exactly like `LocalKeyringProvider`.
 */
export class MixedKeyringProvider implements KeyEncryptionProvider {
  readonly #activeKeyId: string;
  readonly #ids: string[];
  readonly #local: LocalKeyringProvider | undefined;
  readonly #remote = new Map<string, RemoteMasterKey>();

  /** Copies local keys, so the caller may zero the spec's buffers afterwards. */
  constructor(spec: KeyringSpec, remoteKey: RemoteMasterKeyFactory) {
    if (spec.entries[0]?.id !== spec.activeKeyId) throw new InvalidKeyring('the active key must be the first entry');
    this.#activeKeyId = spec.activeKeyId;
    this.#ids = spec.entries.map((e) => e.id);
    const local = new Map<string, Buffer>();
    for (const entry of spec.entries) {
      if (entry.kind === 'local') local.set(entry.id, entry.key);
      else this.#remote.set(entry.id, remoteKey(entry));
    }
    // The local provider's active key is the first local entry: it wraps only when that is ours.
    const [firstLocal] = local.keys();
    this.#local =
      firstLocal === undefined ? undefined : new LocalKeyringProvider({ activeKeyId: firstLocal, keys: local });
  }

  activeKeyId(): string {
    return this.#activeKeyId;
  }

  hasKey(keyId: string): boolean {
    return this.#ids.includes(keyId);
  }

  keyIds(): string[] {
    return [...this.#ids];
  }

  /** The remote key behind an id, or undefined for a local (or unknown) id. */
  remoteKey(keyId: string): RemoteMasterKey | undefined {
    return this.#remote.get(keyId);
  }

  remoteKeys(): RemoteMasterKey[] {
    return [...this.#remote.values()];
  }

  async wrapKey(dataKey: Buffer, aad: Buffer): Promise<WrappedKey> {
    const remote = this.#remote.get(this.#activeKeyId);
    if (remote) return { keyId: this.#activeKeyId, wrapped: await remote.wrap(dataKey, aad) };
    return this.#local!.wrapKey(dataKey, aad);
  }

  async unwrapKey(keyId: string, wrapped: Buffer, aad: Buffer): Promise<Buffer> {
    const remote = this.#remote.get(keyId);
    if (remote) return remote.unwrap(wrapped, aad);
    if (!this.#local?.hasKey(keyId)) throw new UnknownKeyId(keyId, this.keyIds());
    return this.#local.unwrapKey(keyId, wrapped, aad);
  }

  async keyCheckValue(keyId: string): Promise<string> {
    const remote = this.#remote.get(keyId);
    if (remote) return remote.checkValue();
    if (!this.#local?.hasKey(keyId)) throw new UnknownKeyId(keyId, this.keyIds());
    return this.#local.keyCheckValue(keyId);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#remote.values()].map((k) => k.close?.()));
  }

  toJSON(): { activeKeyId: string; keyIds: string[] } {
    return { activeKeyId: this.#activeKeyId, keyIds: this.keyIds() };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `MixedKeyringProvider { activeKeyId: "${this.#activeKeyId}", keyIds: [${this.#ids.map((id) => `"${id}"`).join(', ')}] }`;
  }
}
