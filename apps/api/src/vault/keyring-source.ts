import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateKeyring,
  type Keyring,
  type KeyEncryptionProvider,
  LocalKeyringProvider,
  parseKeyring,
  readKeyringFile,
  VaultError,
  writeNewKeyringFile,
} from '@messenger-vault/vault';
import type { AppConfig } from '../config/config';

export const DEV_KEYRING_FILE_NAME = 'vault-keyring';

/** The keyring is missing or unreadable; the message says which variable to fix and never quotes a key. */
export class KeyringUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringUnavailable';
  }
}

export interface LoadedKeyring {
  provider: KeyEncryptionProvider;
  /** Where the keys came from, for log lines: never the keys. */
  source: string;
}

/**
 * The master keys, from `VAULT_KEYRING`, else `VAULT_KEYRING_FILE`, else (outside production)
 * `DATA_DIR/vault-keyring`, created with mode 0600 on the first start and reused afterwards.
 */
export function loadKeyring(
  config: AppConfig,
  notice: (message: string) => void,
  { createDevKeyring = true }: { createDevKeyring?: boolean } = {},
): LoadedKeyring {
  const { keyring, keyringFile } = config.vault;
  if (keyring) {
    if (keyringFile) notice(`VAULT_KEYRING is set, so VAULT_KEYRING_FILE (${keyringFile}) is ignored.`);
    return fromKeyring('VAULT_KEYRING', () => parseKeyring(keyring.reveal()));
  }
  if (keyringFile) {
    return fromKeyring(`VAULT_KEYRING_FILE (${keyringFile})`, () => readFile(keyringFile, notice));
  }
  if (config.nodeEnv === 'production') {
    throw new KeyringUnavailable(
      'No vault keyring is configured, and production never generates one. Set VAULT_KEYRING ' +
        '(id:base64key; `npm run cli -- vault:generate-key` prints a new entry) or VAULT_KEYRING_FILE, then start again.',
    );
  }
  const path = join(config.dataDir, DEV_KEYRING_FILE_NAME);
  if (!existsSync(path) && !createDevKeyring) {
    throw new KeyringUnavailable(
      `No VAULT_KEYRING or VAULT_KEYRING_FILE is set and there is no development keyring at ${path} yet. ` +
        'Set one of them, or start the API once to create the development keyring.',
    );
  }
  if (!existsSync(path)) {
    try {
      writeNewKeyringFile(path, generateKeyring({ now: new Date() }));
      notice(
        `No VAULT_KEYRING or VAULT_KEYRING_FILE is set: created a development keyring at ${path} (mode 0600). ` +
          'Secrets saved now open only with this file; production needs VAULT_KEYRING or VAULT_KEYRING_FILE.',
      );
    } catch (err) {
      // Another process starting at the same moment created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  } else if (createDevKeyring) {
    notice(`Using the development keyring at ${path}.`);
  }
  return fromKeyring(`the development keyring ${path}`, () => readFile(path, notice));
}

function fromKeyring(source: string, read: () => Keyring): LoadedKeyring {
  let keyring: Keyring;
  try {
    keyring = read();
  } catch (err) {
    if (err instanceof VaultError || err instanceof KeyringUnavailable) {
      throw new KeyringUnavailable(`${source} is not a usable keyring: ${err.message}`);
    }
    throw err;
  }
  try {
    return { provider: new LocalKeyringProvider(keyring), source };
  } finally {
    // The provider holds its own copies.
    for (const key of keyring.keys.values()) key.fill(0);
  }
}

function readFile(path: string, notice: (message: string) => void): Keyring {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (err) {
    throw new KeyringUnavailable(`the file can't be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if ((mode & 0o077) !== 0) {
    notice(`The keyring file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it.`);
  }
  return readKeyringFile(path);
}
