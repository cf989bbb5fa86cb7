import { generateKeyring, LocalKeyringProvider, parseKeyring } from '@messenger-vault/vault';
import { randomBytes } from 'node:crypto';
import { runCli } from '../src/cli/main';
import { createDataSource } from '../src/database/data-source';
import { SigningKeyService } from '../src/vault/signing-key.service';
import { rewrapAll } from '../src/vault/rewrap';
import { freshDatabase, FreshDatabase } from './fresh-database';
import { startTestApp } from './harness';

const OLD = generateKeyring({ id: 'k-old' });
const NEW = generateKeyring({ id: 'k-new' });

let db: FreshDatabase;
let saved: Array<{ tenantId: string; version: number; secret: string }>;

beforeAll(async () => {
  db = await freshDatabase();
  const app = await startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: OLD });
  try {
    const staff = await app.staff();
    saved = [];
    for (let i = 0; i < 3; i++) {
      const tenant = await app.newTenant();
      for (let v = 1; v <= (i === 0 ? 3 : 2); v++) {
        const secret = `sk_${randomBytes(20).toString('hex')}`;
        const res = await staff.put(`/api/tenants/${tenant.id}/intercom/secret`, { secret, platforms: ['web'] });
        expect(res.status).toBe(201);
        saved.push({ tenantId: tenant.id, version: res.body.version, secret });
      }
    }
  } finally {
    await app.close();
  }
});
afterAll(async () => {
  await db.drop();
});

/** Runs a CLI command the way `npm run cli` does, against this file's database. */
async function cli(args: string[], keyring: string): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_URL: db.url, VAULT_KEYRING: keyring, NODE_ENV: 'test', LOG_LEVEL: 'warn' });
  const out: string[] = [];
  const err: string[] = [];
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const code = await runCli(args, (line) => out.push(line));
    return { code, out: out.join('\n'), err: err.join('') };
  } finally {
    stderr.mockRestore();
    process.env = saved;
  }
}

async function underKey(keyId: string): Promise<number> {
  const ds = await createDataSource(db.url, 1).initialize();
  try {
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM secret_versions WHERE master_key_id = $1`, [keyId]);
    return row.n;
  } finally {
    await ds.destroy();
  }
}

test('rotating the master key: status, a crash half way, a second run, then the old key can go', async () => {
  const status = await cli(['vault:status'], OLD);
  expect(status.code).toBe(0);
  expect(status.out).toMatch(/k-old\s+7\s+active/);

  // Without the key that wraps the data, nothing runs and the message names the key id.
  const missing = await cli(['vault:rewrap'], NEW);
  expect(missing.code).toBe(1);
  expect(missing.err).toMatch(/master key "k-old" wraps 7 secret version\(s\) but is not in the configured keyring/);

  const ds = await createDataSource(db.url, 2).initialize();
  const before: Array<{ id: string; ciphertext: Buffer; iv: Buffer }> = await ds.query(
    `SELECT id, ciphertext, iv FROM secret_versions ORDER BY id`,
  );
  try {
    // The third batch dies before its commit, as a killed process would.
    const provider = new LocalKeyringProvider(parseKeyring(`${NEW},${OLD}`));
    await expect(
      rewrapAll(ds, provider, {
        batchSize: 2,
        beforeCommit: (batch) => {
          if (batch === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
  } finally {
    await ds.destroy();
  }
  expect(await underKey('k-new')).toBe(4);
  expect(await underKey('k-old')).toBe(3);

  const resumed = await cli(['vault:rewrap', '--batch-size', '2'], `${NEW},${OLD}`);
  expect(resumed.err).toBe('');
  expect(resumed.code).toBe(0);
  // Not a terminal here, so one plain line per batch instead of a bar.
  expect(resumed.out).toMatch(/rewrap: 2\/3 \(66%\), batch 1\nrewrap: 3\/3 \(100%\), batch 2/);
  expect(resumed.out).toMatch(/Re-wrapped 3 secret version\(s\) under master key "k-new"/);
  expect(await underKey('k-old')).toBe(0);

  const again = await cli(['vault:rewrap'], `${NEW},${OLD}`);
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/Re-wrapped 0 secret version/);

  const after = await cli(['vault:status'], `${NEW},${OLD}`);
  expect(after.out).toMatch(/k-new\s+7\s+active/);
  expect(after.out).toMatch(/k-old\s+0\s+wraps nothing: can leave the keyring/);

  // Only the data keys were re-wrapped: ciphertext and IV are untouched.
  const check = await createDataSource(db.url, 1).initialize();
  try {
    expect(await check.query(`SELECT id, ciphertext, iv FROM secret_versions ORDER BY id`)).toEqual(before);
  } finally {
    await check.destroy();
  }

  // The old key leaves the keyring, and every secret still opens.
  const app = await startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: NEW });
  try {
    const keys = app.app.get(SigningKeyService);
    for (const { tenantId, secret } of saved.filter(
      (s, i, all) => all.findLast((x) => x.tenantId === s.tenantId) === s,
    )) {
      expect((await keys.signingKey(tenantId, 'web')).secret.reveal()).toBe(secret);
    }
    expect((await keys.verificationKeys(saved[0]!.tenantId)).map((k) => k.secret.reveal())).toEqual(
      saved
        .filter((s) => s.tenantId === saved[0]!.tenantId)
        .map((s) => s.secret)
        .reverse(),
    );
  } finally {
    await app.close();
  }
});

test('vault:status fails, naming the key, when the keyring lacks a key that wraps data', async () => {
  const res = await cli(['vault:status'], generateKeyring({ id: 'k-elsewhere' }));
  expect(res.code).toBe(1);
  expect(res.out).toMatch(/k-new\s+7\s+MISSING from the keyring/);
  expect(res.err).toMatch(/master key "k-new" wraps 7 secret version\(s\) but is not in the keyring/);
});

test('vault:rewrap refuses a bad --batch-size, and vault:generate-key prints a usable entry', async () => {
  const bad = await cli(['vault:rewrap', '--batch-size', '0'], NEW);
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/--batch-size must be a whole number from 1 to 10000/);
  const generated = await cli(['vault:generate-key', '--id', 'k-next'], NEW);
  expect(generated.code).toBe(0);
  expect(parseKeyring(generated.out).activeKeyId).toBe('k-next');
  expect(generated.err).toMatch(/Put this entry first in VAULT_KEYRING/);
});

test('an altered row is reported and left as it is; every other row still moves to the new key', async () => {
  const third = generateKeyring({ id: 'k-third' });
  const [victim, source] = [saved[0]!, saved[saved.length - 1]!];
  const ds = await createDataSource(db.url, 1).initialize();
  try {
    await ds.query(
      `UPDATE secret_versions v SET wrapped_key = s.wrapped_key
         FROM secret_versions s
        WHERE v.tenant_id = $1 AND v.version = $2 AND s.tenant_id = $3 AND s.version = $4`,
      [victim.tenantId, victim.version, source.tenantId, source.version],
    );
  } finally {
    await ds.destroy();
  }
  const res = await cli(['vault:rewrap'], `${third},${NEW}`);
  expect(res.code).toBe(1);
  expect(res.err).toContain(`1 version(s) do not decrypt under their master key and were left as they are`);
  expect(res.err).toContain(`tenant ${victim.tenantId} version ${victim.version}`);
  expect(res.out).toMatch(/Re-wrapped 6 secret version\(s\) under master key "k-third"/);
  expect(await underKey('k-third')).toBe(6);
  expect(await underKey('k-new')).toBe(1);
});
