import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyring, InvalidKeyring, readKeyringFile, writeNewKeyringFile } from './index';

describe('keyring file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-keyring-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('a new keyring file is created with mode 0600, in a new directory if needed, and reads back', () => {
    const path = join(dir, 'nested', 'keyring');
    const text = `${generateKeyring({ id: 'k2' })},${generateKeyring({ id: 'k1' })}`;

    writeNewKeyringFile(path, text);

    expect(statSync(path).mode & 0o777).toBe(0o600);
    const keyring = readKeyringFile(path);
    expect(keyring.activeKeyId).toBe('k2');
    expect([...keyring.keys.keys()]).toEqual(['k2', 'k1']);
  });

  test('an existing keyring file is never overwritten', () => {
    const path = join(dir, 'keyring');
    const original = generateKeyring({ id: 'k1' });
    writeNewKeyringFile(path, original);

    expect(() => writeNewKeyringFile(path, generateKeyring({ id: 'k2' }))).toThrow(/EEXIST/);
    expect(readFileSync(path, 'utf8').trim()).toBe(original);
  });

  test('malformed keyring text is refused before any file is created', () => {
    const path = join(dir, 'keyring');
    expect(() => writeNewKeyringFile(path, 'k1:not-a-key')).toThrow(InvalidKeyring);
    expect(() => statSync(path)).toThrow(/ENOENT/);
  });

  test('a malformed keyring file is refused with InvalidKeyring naming the file and entry, not the key', () => {
    const path = join(dir, 'keyring');
    const good = generateKeyring({ id: 'k1' });
    writeFileSync(path, `${good},\nk2:${Buffer.alloc(31, 7).toString('base64')}\n`, { mode: 0o600 });

    expect(() => readKeyringFile(path)).toThrow(
      `invalid keyring (in keyring file ${path}, entry 2, key id "k2"): the key decodes to 31 bytes`,
    );
    try {
      readKeyringFile(path);
    } catch (error) {
      expect((error as Error).message).not.toContain(good.slice(3));
    }
  });
});
