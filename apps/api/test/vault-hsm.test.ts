import { generateKeyring } from '@messenger-vault/vault';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
// eslint-disable-next-line import-x/no-relative-packages -- tests/jest holds fixtures shared by every jest project, and is no workspace.
import { createSoftHsmToken, softHsmOrSkip, type SoftHsmToken } from '../../../tests/jest/softhsm';
import { loadConfig } from '../src/config/config';
import { runCliCaptured } from './cli-runner';
import { freshDatabase, type FreshDatabase } from './fresh-database';
import { startTestApp, type TestApp } from './harness';
import { connectedTenant, randomSecret, verifyHs256 } from './token-fixtures';

const suite = softHsmOrSkip('vault master keys in a PKCS#11 HSM (SoftHSM2)') ? describe : describe.skip;

suite('vault master keys in a PKCS#11 HSM (SoftHSM2)', () => {
  let db: FreshDatabase;
  let hsm: SoftHsmToken;
  let pkcs11: Record<string, string>;
  const local = generateKeyring({ id: 'k-local' });
  const hsmEntry = 'hsm1:pkcs11:mv-kek-1';

  beforeEach(async () => {
    db = await freshDatabase();
    hsm = createSoftHsmToken();
    pkcs11 = {
      VAULT_PKCS11_MODULE: hsm.module,
      VAULT_PKCS11_TOKEN_LABEL: hsm.label,
      VAULT_PKCS11_PIN: hsm.pin,
    };
  });
  afterEach(async () => {
    await db.drop();
    hsm.cleanup();
  });

  const cli = (keyring: string, ...argv: string[]) =>
    runCliCaptured(argv, { DATABASE_URL: db.url, VAULT_KEYRING: keyring, ...pkcs11 });
  const start = (keyring: string, env: Record<string, string> = {}) =>
    startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: keyring, ...pkcs11, ...env });
  const issue = (t: TestApp, apiKey: string) =>
    t.client().post('/v1/intercom/token', { user_id: 'u-1', platform: 'web' }, { authorization: `Bearer ${apiKey}` });
  const keyIds = async (t: TestApp) =>
    (
      (await t.db.query(`SELECT master_key_id FROM secret_versions ORDER BY created_at`)) as Array<{
        master_key_id: string;
      }>
    ).map((r) => r.master_key_id);

  it('generates a key in the token once, and moves secrets local → HSM → local online with vault:rewrap', async () => {
    const generated = await cli(local, 'vault:generate-key', '--pkcs11', 'mv-kek-1', '--id', 'hsm1');
    expect(generated).toMatchObject({ code: 0, out: hsmEntry });
    expect(generated.err).toMatch(/non-extractable AES-256 key labelled "mv-kek-1"/);
    const again = await cli(local, 'vault:generate-key', '--pkcs11', 'mv-kek-1');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/"mv-kek-1" already names a key on PKCS#11 token/);

    let t = await start(local);
    const tenant = await connectedTenant(t);
    await t.close();

    // HSM key first: new secrets go under it, old ones still open under the local key.
    const toHsm = `${hsmEntry},${local}`;
    t = await start(toHsm);
    try {
      const res = await issue(t, tenant.apiKey);
      expect(res.status).toBe(200);
      expect(verifyHs256(res.body.token, tenant.secret)).not.toBeNull();
      const rewrap = await cli(toHsm, 'vault:rewrap');
      expect(rewrap.code).toBe(0);
      expect(rewrap.out).toMatch(/under master key "hsm1"/);
      expect(await keyIds(t)).toEqual(['hsm1']);
      const status = await cli(toHsm, 'vault:status');
      expect(status.code).toBe(0);
      expect(status.out).toMatch(/hsm1\s+1\s+active; in key "mv-kek-1" on PKCS#11 token "mv-test"; 1 secret version/);
      expect(status.out).toMatch(/k-local\s+0\s+wraps nothing/);
      // A new secret version is sealed inside the token too, while serving.
      const newer = randomSecret();
      const staff = await t.staff();
      expect((await staff.put(`/api/tenants/${tenant.tenantId}/intercom/secret`, { secret: newer })).status).toBe(201);
      expect(await keyIds(t)).toEqual(['hsm1', 'hsm1']);
    } finally {
      await t.close();
    }

    // And back: the local key first again, the HSM key behind it until rewrap moved everything.
    const back = `${local},${hsmEntry}`;
    t = await start(back);
    try {
      expect((await cli(back, 'vault:rewrap')).code).toBe(0);
      expect(await keyIds(t)).toEqual(['k-local', 'k-local']);
      expect((await issue(t, tenant.apiKey)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('refuses to start with a wrong PIN, naming the PKCS#11 error and never the PIN', async () => {
    expect((await cli(local, 'vault:generate-key', '--pkcs11', 'mv-kek-1', '--id', 'hsm1')).code).toBe(0);
    const refused = start(hsmEntry, { VAULT_PKCS11_PIN: 'wrong-pin-5555' });
    await expect(refused).rejects.toThrow(
      /master key "hsm1" is unavailable: login to PKCS#11 token "mv-test" failed \(CKR_PIN_INCORRECT\)/,
    );
    expect(await refused.catch((e: Error) => e.message)).not.toContain('wrong-pin-5555');
  });

  it('reads the PIN from VAULT_PKCS11_PIN_FILE', async () => {
    expect((await cli(local, 'vault:generate-key', '--pkcs11', 'mv-kek-1', '--id', 'hsm1')).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'mv-pin-'));
    try {
      writeFileSync(join(dir, 'pin'), `${hsm.pin}\n`, { mode: 0o600 });
      const t = await start(hsmEntry, { VAULT_PKCS11_PIN: '', VAULT_PKCS11_PIN_FILE: join(dir, 'pin') });
      await t.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start when the key is missing, the token is missing or the settings are incomplete', async () => {
    await expect(start('hsm1:pkcs11:no-such-key')).rejects.toThrow(
      /no secret key labelled "no-such-key" on PKCS#11 token "mv-test".*vault:generate-key --pkcs11 no-such-key/,
    );
    await expect(start(hsmEntry, { VAULT_PKCS11_TOKEN_LABEL: 'not-plugged-in' })).rejects.toThrow(
      /no PKCS#11 token labelled "not-plugged-in".*CKR_TOKEN_NOT_PRESENT/,
    );
    await expect(start(hsmEntry, { VAULT_PKCS11_MODULE: '', VAULT_PKCS11_PIN: '' })).rejects.toThrow(
      /needs VAULT_PKCS11_MODULE, VAULT_PKCS11_PIN \(or VAULT_PKCS11_PIN_FILE\), which are not set/,
    );
  });

  it('answers 503 while the token is unplugged, keeps issuing from the cache for TOKEN_STALE_SECONDS, and recovers', async () => {
    expect((await cli(local, 'vault:generate-key', '--pkcs11', 'mv-kek-1', '--id', 'hsm1')).code).toBe(0);
    const t = await start(hsmEntry, { VAULT_CACHE_TTL_SECONDS: '1', TOKEN_STALE_SECONDS: '6' });
    try {
      const cached = await connectedTenant(t);
      const cold = await connectedTenant(t);
      expect((await issue(t, cached.apiKey)).status).toBe(200);
      expect((await t.client().get('/readyz')).status).toBe(200);

      hsm.unplug();
      // Nothing can be verified under the HSM key after this.
      const unpluggedAt = Date.now();
      // /readyz reuses one probe of the HSM for a second.
      let ready = await t.client().get('/readyz');
      for (let i = 0; i < 15 && ready.status === 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        ready = await t.client().get('/readyz');
      }
      expect(ready.status).toBe(503);
      expect(ready.body.message).toMatch(/vaultKeys: failing/);
      // Nothing opens or seals under the HSM key: a clear 503, never a 409 "secret broken" or a 500.
      const cold503 = await issue(t, cold.apiKey);
      expect(cold503.status).toBe(503);
      expect(cold503.body.code).toBe('vault_key_unavailable');
      expect(cold503.body.message).toMatch(/HSM or KMS holding master key "hsm1"/);
      expect(cold503.headers.get('retry-after')).toBe('5');
      const save = await cached.admin.put(`/api/tenants/${cached.tenantId}/intercom/secret`, {
        secret: randomSecret(),
      });
      expect(save.status).toBe(503);
      expect(save.body.code).toBe('vault_key_unavailable');
      // A key verified before the HSM went away keeps signing, past its cache TTL…
      await new Promise((r) => setTimeout(r, Math.max(0, unpluggedAt + 1_500 - Date.now())));
      const stale = await issue(t, cached.apiKey);
      expect(stale.status).toBe(200);
      expect(verifyHs256(stale.body.token, cached.secret)).not.toBeNull();
      // …until TOKEN_STALE_SECONDS have passed since it was last verified.
      await new Promise((r) => setTimeout(r, Math.max(0, unpluggedAt + 6_500 - Date.now())));
      const expired = await issue(t, cached.apiKey);
      expect(expired.status).toBe(503);
      expect(expired.body.code).toBe('vault_key_unavailable');

      hsm.plugBackIn();
      let readyAgain = 0;
      for (let i = 0; i < 50 && readyAgain !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        readyAgain = (await t.client().get('/readyz')).status;
      }
      expect(readyAgain).toBe(200);
      expect((await issue(t, cold.apiKey)).status).toBe(200);
      expect((await issue(t, cached.apiKey)).status).toBe(200);
      const logs = t.logs.join('\n');
      // JSON log lines: quotes come escaped.
      expect(logs).toMatch(/vault key store unavailable: master key \\"hsm1\\" is unavailable: PKCS#11 token/);
      expect(logs).toMatch(/vault key stores answer again/);
      expect(logs).not.toContain(hsm.pin);
    } finally {
      await t.close();
    }
  });
});

test('the loaded config never prints the PKCS#11 PIN, and a bad PIN file is named without its contents', async () => {
  const pin = 'pin-that-must-not-leak-8642';
  const config = loadConfig({ VAULT_PKCS11_PIN: pin });
  expect(config.vault.pkcs11.pin?.reveal()).toBe(pin);
  for (const shown of [JSON.stringify(config), inspect(config, { depth: 6 }), `${config.vault.pkcs11.pin}`]) {
    expect(shown).not.toContain(pin);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mv-pin-'));
  try {
    writeFileSync(join(dir, 'pin'), `${pin}\nsecond line\n`);
    const run = await runCliCaptured(['vault:status'], {
      VAULT_KEYRING: 'hsm1:pkcs11:mv-kek-1',
      VAULT_PKCS11_MODULE: '/bin/sh',
      VAULT_PKCS11_TOKEN_LABEL: 'mv-test',
      VAULT_PKCS11_PIN: '',
      VAULT_PKCS11_PIN_FILE: join(dir, 'pin'),
    });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/VAULT_PKCS11_PIN_FILE \(.*\/pin\) must hold the PIN on one line/);
    expect(run.err + run.out).not.toContain(pin);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
