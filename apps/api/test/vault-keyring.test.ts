import { generateKeyring } from '@messenger-vault/vault';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfig } from '../src/config/config';
import { freshDatabase, FreshDatabase } from './fresh-database';
import { startTestApp } from './harness';

const keyText = (entry: string) => entry.slice(entry.indexOf(':') + 1);

let db: FreshDatabase;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await db.drop();
});

async function saveOneSecret(env: Record<string, string>): Promise<void> {
  const app = await startTestApp({ DATABASE_URL: db.url, ...env });
  try {
    const tenant = await app.newTenant();
    const res = await (
      await app.staff()
    ).put(`/api/tenants/${tenant.id}/intercom/secret`, {
      secret: `sk_${randomBytes(20).toString('hex')}`,
    });
    expect(res.status).toBe(201);
  } finally {
    await app.close();
  }
}

test('the API refuses to start when a master key that wraps stored secrets is missing from the keyring', async () => {
  const original = generateKeyring({ id: 'k-original' });
  await saveOneSecret({ VAULT_KEYRING: original });
  const other = generateKeyring({ id: 'k-other' });
  const refused = startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: other });
  await expect(refused).rejects.toThrow(
    /master key "k-original" wraps 1 secret version\(s\) but is not in the configured keyring/,
  );
  const message = await refused.catch((e: Error) => e.message);
  expect(message).not.toContain(keyText(original));
  expect(message).not.toContain(keyText(other));
});

test('the API refuses to start when a different key is configured under a stored key id', async () => {
  await saveOneSecret({ VAULT_KEYRING: generateKeyring({ id: 'k-main' }) });
  const impostor = generateKeyring({ id: 'k-main' });
  const refused = startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: impostor });
  await expect(refused).rejects.toThrow(/master key "k-main" \(the active key\) is not the key that was first used/);
  expect(await refused.catch((e: Error) => e.message)).not.toContain(keyText(impostor));
});

test('a new active key with the old one behind it starts, and new versions go under the new key', async () => {
  const old = generateKeyring({ id: 'k-old' });
  await saveOneSecret({ VAULT_KEYRING: old });
  const both = `${generateKeyring({ id: 'k-new' })},${old}`;
  await saveOneSecret({ VAULT_KEYRING: both });
  const app = await startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: both });
  try {
    const rows: Array<{ master_key_id: string }> = await app.db.query(
      `SELECT master_key_id FROM secret_versions ORDER BY created_at`,
    );
    expect(rows.map((r) => r.master_key_id)).toEqual(['k-old', 'k-new']);
  } finally {
    await app.close();
  }
});

test('outside production, the first start creates a 0600 keyring file under DATA_DIR and later starts reuse it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mv-keyring-'));
  const env = { DATABASE_URL: db.url, DATA_DIR: dataDir, NODE_ENV: 'development', VAULT_KEYRING: '' };
  try {
    const first = await startTestApp(env);
    await first.close();
    const file = join(dataDir, 'vault-keyring');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const contents = readFileSync(file, 'utf8');
    const logs = first.logs.join('\n');
    expect(logs).toContain(`created a development keyring at ${file}`);
    expect(logs).not.toContain(keyText(contents.trim()));

    const second = await startTestApp(env);
    await second.close();
    expect(readFileSync(file, 'utf8')).toBe(contents);
    expect(second.logs.join('\n')).toContain(`Using the development keyring at ${file}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('in production, no keyring means no start, with a message saying what to set', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mv-keyring-'));
  try {
    const refused = startTestApp({
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      VAULT_KEYRING: '',
    });
    await expect(refused).rejects.toThrow(/No vault keyring is configured.*Set VAULT_KEYRING/);
    expect(existsSync(join(dataDir, 'vault-keyring'))).toBe(false);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a malformed keyring stops the start with a message that never quotes the key', async () => {
  const shortKey = randomBytes(31).toString('base64');
  const refused = startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: `k-1:${shortKey}` });
  await expect(refused).rejects.toThrow(/VAULT_KEYRING is not a usable keyring: .*decodes to 31 bytes/);
  expect(await refused.catch((e: Error) => e.message)).not.toContain(shortKey);
});

test('VAULT_KEYRING_FILE is read when VAULT_KEYRING is unset', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mv-keyring-'));
  const { writeNewKeyringFile } = await import('@messenger-vault/vault');
  const file = join(dir, 'keyring');
  writeNewKeyringFile(file, generateKeyring({ id: 'k-from-file' }));
  try {
    await saveOneSecret({ VAULT_KEYRING: '', VAULT_KEYRING_FILE: file });
    const app = await startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: '', VAULT_KEYRING_FILE: file });
    try {
      const rows: Array<{ master_key_id: string }> = await app.db.query(`SELECT master_key_id FROM secret_versions`);
      expect(rows).toEqual([{ master_key_id: 'k-from-file' }]);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the loaded config never prints the keyring, whether serialised, inspected or interpolated', () => {
  const keyring = generateKeyring({ id: 'k-config' });
  const config = loadConfig({ VAULT_KEYRING: keyring });
  expect(config.vault.keyring?.reveal()).toBe(keyring);
  for (const shown of [JSON.stringify(config), inspect(config, { depth: 5 }), `${config.vault.keyring}`]) {
    expect(shown).not.toContain(keyText(keyring));
  }
});
