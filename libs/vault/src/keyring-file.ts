import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Keyring, type KeyringSpec, parseKeyring, parseKeyringSpec } from './keyring';
import { InvalidKeyring } from './vault-errors';

/** The one place the vault touches the file system: the `VAULT_KEYRING_FILE` keyring. */

export function readKeyringFile(path: string): Keyring {
  return withSource(path, parseKeyring);
}

/** The same file, with HSM and KMS entries allowed. */
export function readKeyringSpecFile(path: string): KeyringSpec {
  return withSource(path, parseKeyringSpec);
}

function withSource<T>(path: string, parse: (text: string) => T): T {
  const text = readFileSync(path, 'utf8');
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof InvalidKeyring) {
      throw new InvalidKeyring(error.problem, { ...error.place, source: `keyring file ${path}` });
    }
    throw error;
  }
}

/**
 * Creates the keyring file readable by its owner only, and fails with EEXIST rather than replace
 * one: overwriting a keyring would orphan every data key wrapped under it.
 */
export function writeNewKeyringFile(path: string, text: string): void {
  parseKeyring(text).keys.forEach((key) => key.fill(0));
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'wx', 0o600);
  let written = false;
  try {
    // Set the mode again: openSync's mode is only a request, filtered through the umask.
    fchmodSync(fd, 0o600);
    writeFileSync(fd, `${text.trim()}\n`);
    fsyncSync(fd);
    written = true;
  } finally {
    closeSync(fd);
    // A half-written file holds no usable key yet would block the next attempt, as we never overwrite.
    if (!written) rmSync(path, { force: true });
  }
}
