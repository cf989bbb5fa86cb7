import { randomBytes } from 'node:crypto';
import { AES_256_KEY_BYTES } from './aes-gcm';
import { InvalidInput, InvalidKeyring } from './vault-errors';

/** Master keys by id. The active key wraps every new data key; the others only unwrap. */
export interface Keyring {
  readonly activeKeyId: string;
  /** id → 32-byte key, in keyring order. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const KEY_ID_RULE = 'the key id must be 1 to 64 characters from A-Z a-z 0-9 _ . -';
const FORMAT_HINT =
  'expected id:base64key[,id:base64key...] with the active key first (an entry may also be id:pkcs11:<label>, id:awskms:<key ARN> or id:gcpkms:<key name>)';

/** Where a master key lives when it is not in process memory: an HSM token or a cloud KMS. */
export type RemoteKeyKind = 'pkcs11' | 'awskms' | 'gcpkms';
export const REMOTE_KEY_KINDS: readonly RemoteKeyKind[] = ['pkcs11', 'awskms', 'gcpkms'];

/** One keyring entry: a key held here, or a reference to a key that never leaves its HSM or KMS. */
export type KeyringEntry =
  | { readonly id: string; readonly kind: 'local'; readonly key: Buffer }
  | { readonly id: string; readonly kind: RemoteKeyKind; readonly ref: string };

/** A keyring that may mix local keys with HSM and KMS references; the first entry is active. */
export interface KeyringSpec {
  readonly activeKeyId: string;
  readonly entries: readonly KeyringEntry[];
}

/**
 * Reads the `VAULT_KEYRING` format for local keys only: `id:base64key,id:base64key`, the first
 * entry active. Whitespace and newlines around entries are ignored, so a keyring file reads the
 * same way. A keyring naming HSM or KMS keys is read with `parseKeyringSpec`.
 */
export function parseKeyring(text: string): Keyring {
  const spec = parseKeyringSpec(text);
  const keys = new Map<string, Buffer>();
  spec.entries.forEach((e) => {
    if (e.kind === 'local') keys.set(e.id, e.key);
  });
  const remote = spec.entries.findIndex((e) => e.kind !== 'local');
  if (remote >= 0) {
    for (const key of keys.values()) key.fill(0);
    const entry = spec.entries[remote]!;
    throw new InvalidKeyring(`the entry names a ${entry.kind} key; only local keys are accepted here`, {
      entry: remote + 1,
      keyId: entry.id,
    });
  }
  return { activeKeyId: spec.activeKeyId, keys };
}

/**
 * Reads the full keyring format: each entry is `id:base64key` (a local key), `id:pkcs11:<key
 * label>`, `id:awskms:<key ARN>` or `id:gcpkms:<key resource name>`; the first entry is active.
 */
export function parseKeyringSpec(text: string): KeyringSpec {
  const entries = text.trim();
  if (entries === '') throw new InvalidKeyring(`it is empty; ${FORMAT_HINT}`);

  const parsed: KeyringEntry[] = [];
  const entryOf = new Map<string, number>();
  try {
    entries.split(',').forEach((raw, index) => {
      const entry = index + 1;
      const parsedEntry = parseEntry(raw, entry);
      const earlier = entryOf.get(parsedEntry.id);
      if (earlier !== undefined) {
        if (parsedEntry.kind === 'local') parsedEntry.key.fill(0);
        throw new InvalidKeyring(`the id already names entry ${earlier}; key ids must be unique`, {
          entry,
          keyId: parsedEntry.id,
        });
      }
      entryOf.set(parsedEntry.id, entry);
      parsed.push(parsedEntry);
    });
  } catch (error) {
    for (const e of parsed) if (e.kind === 'local') e.key.fill(0);
    throw error;
  }
  return { activeKeyId: parsed[0]!.id, entries: parsed };
}

const REMOTE_REF: Record<RemoteKeyKind, { pattern: RegExp; rule: string }> = {
  pkcs11: {
    pattern: /^[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?$/,
    rule: 'a PKCS#11 key label is 1 to 128 printable ASCII characters (no comma)',
  },
  awskms: {
    pattern: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/,
    rule: 'an AWS KMS key is named by its key ARN, arn:aws:kms:<region>:<account>:key/<key id> (not an alias)',
  },
  gcpkms: {
    pattern: /^projects\/[^/\s]+\/locations\/[^/\s]+\/keyRings\/[^/\s]+\/cryptoKeys\/[^/\s]+$/,
    rule: 'a Google Cloud KMS key is named projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>',
  },
};

// Errors here name the entry by position, and the id only once it is known to be an id: a
// mangled entry may be key text, and key text must not reach a log.
function parseEntry(raw: string, entry: number): KeyringEntry {
  const text = raw.trim();
  if (text === '') throw new InvalidKeyring(`the entry is empty (a stray comma?); ${FORMAT_HINT}`, { entry });
  const colon = text.indexOf(':');
  if (colon < 0) throw new InvalidKeyring(`no ":" between key id and key; ${FORMAT_HINT}`, { entry });

  const id = text.slice(0, colon).trim();
  if (!KEY_ID.test(id)) {
    throw new InvalidKeyring(KEY_ID_RULE, { entry });
  }
  const keyText = text.slice(colon + 1).trim();
  if (keyText === '') throw new InvalidKeyring('the key is missing after ":"', { entry, keyId: id });
  // Base64 has no ":", so a kind prefix can't be mistaken for a local key.
  const kind = REMOTE_KEY_KINDS.find((k) => keyText.startsWith(`${k}:`));
  if (kind) {
    const ref = keyText.slice(kind.length + 1).trim();
    if (!REMOTE_REF[kind].pattern.test(ref)) throw new InvalidKeyring(REMOTE_REF[kind].rule, { entry, keyId: id });
    return { id, kind, ref };
  }
  return { id, kind: 'local', key: decodeKey(keyText, entry, id) };
}

function decodeKey(keyText: string, entry: number, id: string): Buffer {
  const key = Buffer.from(keyText, 'base64');
  // Node's decoder skips characters it does not know; re-encoding catches what it skipped.
  if (!BASE64.test(keyText) || keyText.length % 4 !== 0 || key.toString('base64') !== keyText) {
    key.fill(0);
    throw new InvalidKeyring('the key is not valid base64 (standard alphabet, with padding)', { entry, keyId: id });
  }
  if (key.length !== AES_256_KEY_BYTES) {
    const length = key.length;
    key.fill(0);
    throw new InvalidKeyring(
      `the key decodes to ${length} bytes; a master key is exactly ${AES_256_KEY_BYTES} bytes (44 base64 characters)`,
      { entry, keyId: id },
    );
  }
  return key;
}

/** Refuses a keyring built by hand that `parseKeyring` would not have produced. */
export function checkKeyring(keyring: Keyring): void {
  if (!keyring.keys.has(keyring.activeKeyId)) {
    throw new InvalidKeyring('the active key id names no key in the keyring');
  }
  let entry = 0;
  for (const [id, key] of keyring.keys) {
    entry += 1;
    if (!KEY_ID.test(id)) throw new InvalidKeyring(KEY_ID_RULE, { entry });
    if (key.length !== AES_256_KEY_BYTES) {
      throw new InvalidKeyring(`the key is ${key.length} bytes; a master key is exactly ${AES_256_KEY_BYTES} bytes`, {
        entry,
        keyId: id,
      });
    }
  }
}

export type GenerateKeyringOptions = { readonly id: string } | { readonly now: Date };

/**
 * A one-key keyring string with a fresh random key. Without an id, the id is
 * `k-<yyyymmdd of now, UTC>-<8 random hex>`; to rotate, put the result first in the keyring.
 */
export function generateKeyring(options: GenerateKeyringOptions): string {
  const id = 'id' in options ? options.id : defaultKeyId(options.now);
  if (!KEY_ID.test(id)) throw new InvalidKeyring(KEY_ID_RULE);
  return `${id}:${randomBytes(AES_256_KEY_BYTES).toString('base64')}`;
}

function defaultKeyId(now: Date): string {
  if (Number.isNaN(now.getTime())) throw new InvalidInput('now', 'is not a valid date');
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `k-${day}-${randomBytes(4).toString('hex')}`;
}
