import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line import-x/no-relative-packages -- tests/jest holds fixtures shared by every jest project, and is no workspace.
import { type KmsStandIn, startAwsKmsStandIn, startGcpKmsStandIn } from '../../../tests/jest/kms-stand-ins';
import {
  AwsKmsMasterKey,
  DecryptionFailed,
  GcpKmsMasterKey,
  KeyProviderUnavailable,
  MixedKeyringProvider,
  openSecret,
  parseKeyringSpec,
  type RemoteMasterKey,
  sealSecret,
  type SecretBinding,
} from './index';

const binding: SecretBinding = { tenantId: 'tenant-a', secretId: 'secret-1', version: 1 };
const ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const GCP = 'projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k';

const cases: Array<{
  name: string;
  kind: 'awskms' | 'gcpkms';
  ref: string;
  start: () => Promise<KmsStandIn>;
  key: (id: string, ref: string, endpoint: string) => RemoteMasterKey;
  encryptCall: string;
}> = [
  {
    name: 'AWS KMS (JSON 1.1, SigV4)',
    kind: 'awskms',
    ref: ARN,
    start: startAwsKmsStandIn,
    key: (id, ref, endpoint) => new AwsKmsMasterKey(id, ref, { endpoint }),
    encryptCall: 'TrentService.Encrypt',
  },
  {
    name: 'Google Cloud KMS (REST)',
    kind: 'gcpkms',
    ref: GCP,
    start: startGcpKmsStandIn,
    key: (id, ref, endpoint) => new GcpKmsMasterKey(id, ref, { endpoint }),
    encryptCall: 'encrypt',
  },
];

describe.each(cases)('$name master keys against a stand-in', ({ kind, ref, start, key, encryptCall }) => {
  let kms: KmsStandIn;
  let dir: string;
  let provider: MixedKeyringProvider;
  const saved = { ...process.env };

  beforeEach(async () => {
    kms = await start();
    kms.addKey(ref);
    dir = mkdtempSync(join(tmpdir(), 'mv-kms-'));
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDSTANDIN', AWS_SECRET_ACCESS_KEY: 'stand-in-secret' });
    if ('credentialsFile' in kms) {
      (kms as KmsStandIn & { credentialsFile(p: string): void }).credentialsFile(join(dir, 'sa.json'));
      process.env.GOOGLE_APPLICATION_CREDENTIALS = join(dir, 'sa.json');
    }
    provider = new MixedKeyringProvider(parseKeyringSpec(`kms1:${kind}:${ref}`), (e) => key(e.id, e.ref, kms.url));
  });
  afterEach(async () => {
    await provider.close();
    await kms.close();
    rmSync(dir, { recursive: true, force: true });
    process.env = { ...saved };
  });

  it('seals and opens through the official SDK, the binding authenticated by the KMS', async () => {
    const sealed = await sealSecret(provider, binding, 'intercom-secret');
    expect(sealed.masterKeyId).toBe('kms1');
    expect((await openSecret(provider, binding, sealed)).reveal()).toBe('intercom-secret');
    await expect(openSecret(provider, { ...binding, version: 2 }, sealed)).rejects.toBeInstanceOf(DecryptionFailed);
    expect(kms.calls.filter((c) => c.call === encryptCall)).toHaveLength(1);
    expect(kms.calls.every((c) => c.signed)).toBe(true);
  });

  it('checks the key by a round trip and names it by its resource name', async () => {
    const value = await provider.keyCheckValue('kms1');
    expect(value).toBe(await provider.keyCheckValue('kms1'));
    expect(value).toMatch(/^(awskms-arn|gcpkms-name)-sha256:[0-9a-f]{32}$/);
  });

  it('is unavailable, not wrong, while the KMS is down or the key is missing, and recovers', async () => {
    const sealed = await sealSecret(provider, binding, 'v');
    kms.down = true;
    const err = await openSecret(provider, binding, sealed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyProviderUnavailable);
    expect((err as Error).message).toMatch(/kms1.*(AWS|Google Cloud) KMS key/);
    kms.down = false;
    expect((await openSecret(provider, binding, sealed)).reveal()).toBe('v');
    const missing = new MixedKeyringProvider(parseKeyringSpec(`kms2:${kind}:${ref.replace(/k$|ab$/, 'zz')}`), (e) =>
      key(e.id, e.ref, kms.url),
    );
    try {
      await expect(missing.keyCheckValue('kms2')).rejects.toBeInstanceOf(KeyProviderUnavailable);
    } finally {
      await missing.close();
    }
  });
});
