import { generateKeyring } from '@messenger-vault/vault';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line import-x/no-relative-packages -- tests/jest holds fixtures shared by every jest project, and is no workspace.
import { type KmsStandIn, startAwsKmsStandIn, startGcpKmsStandIn } from '../../../tests/jest/kms-stand-ins';
import { runCliCaptured } from './cli-runner';
import { freshDatabase, type FreshDatabase } from './fresh-database';
import { startTestApp, type TestApp } from './harness';
import { connectedTenant, verifyHs256 } from './token-fixtures';

// Nothing here reaches AWS or Google: the official SDKs talk to stand-ins speaking their wire protocols.
const ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const GCP_KEY = 'projects/p/locations/europe-west1/keyRings/r/cryptoKeys/mv-kek';

let db: FreshDatabase;
let dir: string;
const saved = { ...process.env };
beforeEach(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'mv-kms-'));
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDSTANDIN', AWS_SECRET_ACCESS_KEY: 'stand-in-secret-key' });
});
afterEach(async () => {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
  process.env = { ...saved };
});

const issue = (t: TestApp, apiKey: string) =>
  t.client().post('/v1/intercom/token', { user_id: 'u-1', platform: 'web' }, { authorization: `Bearer ${apiKey}` });

async function untilStatus(t: TestApp, path: string, status: number): Promise<number> {
  let got = 0;
  for (let i = 0; i < 30 && got !== status; i++) {
    got = (await t.client().get(path)).status;
    if (got !== status) await new Promise((r) => setTimeout(r, 200));
  }
  return got;
}

describe.each([
  {
    name: 'AWS KMS',
    entry: `aws1:awskms:${ARN}`,
    ref: ARN,
    start: startAwsKmsStandIn,
    env: (kms: KmsStandIn): Record<string, string> => ({ VAULT_AWSKMS_ENDPOINT: kms.url }),
    call: 'TrentService.Encrypt',
  },
  {
    name: 'Google Cloud KMS',
    entry: `gcp1:gcpkms:${GCP_KEY}`,
    ref: GCP_KEY,
    start: startGcpKmsStandIn,
    env: (kms: KmsStandIn): Record<string, string> => {
      (kms as KmsStandIn & { credentialsFile(p: string): void }).credentialsFile(join(dir, 'sa.json'));
      process.env.GOOGLE_APPLICATION_CREDENTIALS = join(dir, 'sa.json');
      return { VAULT_GCPKMS_ENDPOINT: kms.url };
    },
    call: 'encrypt',
  },
])('$name master keys (against a stand-in)', ({ entry, ref, start, env, call }) => {
  const id = entry.slice(0, entry.indexOf(':'));
  const keyring = `${entry},${generateKeyring({ id: 'k-local' })}`;

  it('seal under the KMS key, show in vault:status, and make the API not ready (503s) while the KMS is down', async () => {
    const kms = await start();
    kms.addKey(ref);
    const settings = { DATABASE_URL: db.url, VAULT_KEYRING: keyring, ...env(kms) };
    const t = await startTestApp(settings);
    try {
      const warm = await connectedTenant(t);
      const cold = await connectedTenant(t);
      const res = await issue(t, warm.apiKey);
      expect(res.status).toBe(200);
      expect(verifyHs256(res.body.token, warm.secret)).not.toBeNull();
      expect(await t.db.query(`SELECT DISTINCT master_key_id FROM secret_versions`)).toEqual([{ master_key_id: id }]);
      expect(kms.calls.filter((c) => c.call === call).length).toBeGreaterThanOrEqual(2);
      expect(kms.calls.every((c) => c.signed)).toBe(true);

      const status = await runCliCaptured(['vault:status'], settings);
      expect(status.code).toBe(0);
      expect(status.out).toMatch(new RegExp(`${id}\\s+2\\s+active; in (AWS|Google Cloud) KMS key`));

      kms.down = true;
      expect(await untilStatus(t, '/readyz', 503)).toBe(503);
      const refused = await issue(t, cold.apiKey);
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('vault_key_unavailable');
      // Verified before the KMS went away: still served (TOKEN_STALE_SECONDS, default 300).
      expect((await issue(t, warm.apiKey)).status).toBe(200);
      const down = await runCliCaptured(['vault:status'], settings);
      expect(down.code).toBe(1);
      expect(down.out).toMatch(new RegExp(`${id}\\s+2\\s+active; .*UNAVAILABLE: (AWS|Google Cloud) KMS key`));
      expect(down.err).toMatch(new RegExp(`master key "${id}" is unavailable`));

      kms.down = false;
      expect(await untilStatus(t, '/readyz', 200)).toBe(200);
      expect((await issue(t, cold.apiKey)).status).toBe(200);
    } finally {
      await t.close();
      await kms.close();
    }
  });

  it('refuses to start when the KMS does not answer or does not hold the key', async () => {
    const kms = await start();
    const settings = { DATABASE_URL: db.url, VAULT_KEYRING: keyring, ...env(kms) };
    try {
      await expect(startTestApp(settings)).rejects.toThrow(
        new RegExp(`master key "${id}" is unavailable: (AWS|Google Cloud) KMS key .* failed`),
      );
      kms.addKey(ref);
      kms.down = true;
      await expect(startTestApp(settings)).rejects.toThrow(/can't use the HSM or KMS keys of its keyring/);
    } finally {
      await kms.close();
    }
  });
});
