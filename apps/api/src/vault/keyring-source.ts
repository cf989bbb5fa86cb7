import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  AwsKmsMasterKey,
  GcpKmsMasterKey,
  generateKeyring,
  type KeyringSpec,
  MixedKeyringProvider,
  parseKeyringSpec,
  Pkcs11Token,
  readKeyringSpecFile,
  type RemoteMasterKeyFactory,
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
  provider: MixedKeyringProvider;
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
    return fromKeyring(config, 'VAULT_KEYRING', () => parseKeyringSpec(keyring.reveal()));
  }
  if (keyringFile) {
    return fromKeyring(config, `VAULT_KEYRING_FILE (${keyringFile})`, () => readFile(keyringFile, notice));
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
  return fromKeyring(config, `the development keyring ${path}`, () => readFile(path, notice));
}

function fromKeyring(config: AppConfig, source: string, read: () => KeyringSpec): LoadedKeyring {
  let spec: KeyringSpec;
  try {
    spec = read();
  } catch (err) {
    if (err instanceof VaultError || err instanceof KeyringUnavailable) {
      throw new KeyringUnavailable(`${source} is not a usable keyring: ${err.message}`);
    }
    throw err;
  }
  try {
    return { provider: new MixedKeyringProvider(spec, remoteKeys(config, spec)), source };
  } finally {
    // The provider holds its own copies.
    for (const entry of spec.entries) if (entry.kind === 'local') entry.key.fill(0);
  }
}

/**
 * Builds the HSM and KMS keys a keyring names. Only what the keyring uses must be configured;
 * what is missing is named here, before anything connects. One PKCS#11 session serves every
 * pkcs11 entry.
 */
function remoteKeys(config: AppConfig, spec: KeyringSpec): RemoteMasterKeyFactory {
  const { awsKmsEndpoint, gcpKmsEndpoint } = config.vault;
  const token = spec.entries.some((e) => e.kind === 'pkcs11') ? pkcs11TokenFromConfig(config) : undefined;
  return (entry) => {
    switch (entry.kind) {
      case 'pkcs11':
        return token!.key(entry.id, entry.ref);
      case 'awskms':
        return new AwsKmsMasterKey(entry.id, entry.ref, { endpoint: awsKmsEndpoint });
      case 'gcpkms':
        return new GcpKmsMasterKey(entry.id, entry.ref, { endpoint: gcpKmsEndpoint });
    }
  };
}

/** The configured PKCS#11 token; what is missing from VAULT_PKCS11_* is named, the PIN never. */
export function pkcs11TokenFromConfig(config: AppConfig): Pkcs11Token {
  const { pkcs11 } = config.vault;
  {
    const missing = [
      pkcs11.module ? '' : 'VAULT_PKCS11_MODULE',
      pkcs11.tokenLabel ? '' : 'VAULT_PKCS11_TOKEN_LABEL',
      pkcs11.pin || pkcs11.pinFile ? '' : 'VAULT_PKCS11_PIN (or VAULT_PKCS11_PIN_FILE)',
    ].filter(Boolean);
    if (missing.length) {
      throw new KeyringUnavailable(
        `a PKCS#11 key (<id>:pkcs11:<label>) needs ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set.`,
      );
    }
    if (!existsSync(pkcs11.module!)) {
      throw new KeyringUnavailable(
        `VAULT_PKCS11_MODULE (${pkcs11.module}) does not exist; give the path of the HSM's PKCS#11 library.`,
      );
    }
    const pin = pkcs11.pin ? pkcs11.pin.reveal() : readPinFile(pkcs11.pinFile!);
    return new Pkcs11Token({ module: pkcs11.module!, tokenLabel: pkcs11.tokenLabel!, pin: () => pin });
  }
}

function readPinFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KeyringUnavailable(
      `VAULT_PKCS11_PIN_FILE (${path}) can't be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  const pin = text.replace(/\r?\n$/, '');
  if (pin === '' || pin.includes('\n')) {
    throw new KeyringUnavailable(`VAULT_PKCS11_PIN_FILE (${path}) must hold the PIN on one line.`);
  }
  return pin;
}

function readFile(path: string, notice: (message: string) => void): KeyringSpec {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (err) {
    throw new KeyringUnavailable(`the file can't be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if ((mode & 0o077) !== 0) {
    notice(`The keyring file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it.`);
  }
  return readKeyringSpecFile(path);
}
