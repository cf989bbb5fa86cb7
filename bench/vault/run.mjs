// `npm run bench:vault [-- --rows N]`: seal and open operations per second, and the time to
// re-wrap N (default 100,000) secret versions in a real PostgreSQL with the real rewrap code.
// Each figure comes with a same-run baseline, so a slower machine moves both.
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../scripts/build.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
build(['api'], { quiet: true });
const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, 'apps/api/dist/apps/api/src', path));
const vault = require('@messenger-vault/vault');
const { rewrapAll } = dist('vault/rewrap.js');
const { createDataSource, runMigrations } = dist('database/data-source.js');
const { startEmbeddedPostgres } = dist('database/embedded-postgres.js');
const { Client } = require('pg');

const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 100_000;
const CRYPTO_OPS = 20_000;
const VERSIONS_PER_TENANT = 100;
const INSERT_CHUNK = 5_000;

const OLD = vault.generateKeyring({ id: 'bench-old' });
const NEW = vault.generateKeyring({ id: 'bench-new' });
const oldOnly = new vault.LocalKeyringProvider(vault.parseKeyring(OLD));
const rotated = new vault.LocalKeyringProvider(vault.parseKeyring(`${NEW},${OLD}`));
const secret = `sk_${randomBytes(24).toString('base64url')}`;

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const rate = (n, s) => `${Math.round(n / s).toLocaleString('en-US')} ops/s`;

async function cryptoFigures() {
  const binding = (i) => ({ tenantId: randomUUID(), secretId: randomUUID(), version: i + 1 });
  const bindings = Array.from({ length: CRYPTO_OPS }, (_, i) => binding(i));
  // Warm up JIT and OpenSSL before timing.
  for (let i = 0; i < 500; i++) await vault.sealSecret(oldOnly, bindings[i], secret);

  let start = process.hrtime.bigint();
  const sealed = [];
  for (const b of bindings) sealed.push(await vault.sealSecret(oldOnly, b, secret));
  const seal = seconds(start);

  start = process.hrtime.bigint();
  for (let i = 0; i < CRYPTO_OPS; i++) await vault.openSecret(oldOnly, bindings[i], sealed[i]);
  const open = seconds(start);

  // Baseline: one bare AES-256-GCM encryption of the same secret, as a lower bound for a seal.
  const key = randomBytes(32);
  const message = Buffer.from(secret);
  start = process.hrtime.bigint();
  for (let i = 0; i < CRYPTO_OPS; i++) {
    const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12));
    Buffer.concat([cipher.update(message), cipher.final(), cipher.getAuthTag()]);
  }
  const raw = seconds(start);
  return { seal, open, raw };
}

async function openDatabase() {
  if (process.env.DATABASE_URL) {
    const name = `mv_bench_${process.pid}`;
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      where: 'DATABASE_URL server',
      close: async () => {
        const c = new Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mv-bench-pg-'));
  const pg = await startEmbeddedPostgres({
    dir,
    port: 20000 + Math.floor(Math.random() * 20000),
    database: 'bench',
    persistent: false,
  });
  return {
    url: pg.url,
    where: 'embedded PostgreSQL',
    close: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** N sealed versions under the old key, inserted with multi-row INSERTs from arrays (no per-row round trip). */
async function seed(db) {
  const tenants = Math.ceil(ROWS / VERSIONS_PER_TENANT);
  await db.query(`INSERT INTO vault_master_keys (master_key_id, key_check) VALUES ($1, $2)`, [
    'bench-old',
    await vault.computeKeyCheck(oldOnly, 'bench-old'),
  ]);
  const ids = await db.query(
    `WITH t AS (INSERT INTO tenants (name) SELECT 'Bench ' || g FROM generate_series(1, $1) g RETURNING id)
     INSERT INTO vault_secrets (tenant_id, last_version) SELECT id, $2 FROM t RETURNING id, tenant_id`,
    [tenants, VERSIONS_PER_TENANT],
  );
  let pending = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const column = (f) => pending.map(f);
    await db.query(
      `INSERT INTO secret_versions (tenant_id, secret_id, version, platforms, state, ciphertext, iv, wrapped_key,
                                    master_key_id, fingerprint, last4)
       SELECT t, s, v, '{web,ios,android}', CASE WHEN v = $9 THEN 'active' ELSE 'previous' END, c, i, w, 'bench-old', f, $8
         FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::bytea[], $5::bytea[], $6::bytea[], $7::text[])
              AS u(t, s, v, c, i, w, f)`,
      [
        column((r) => r.tenantId),
        column((r) => r.secretId),
        column((r) => r.version),
        column((r) => r.columns.ciphertext),
        column((r) => r.columns.iv),
        column((r) => r.columns.wrappedKey),
        column((r) => r.fingerprint),
        secret.slice(-4),
        VERSIONS_PER_TENANT,
      ],
    );
    pending = [];
  };
  let n = 0;
  for (const { id: secretId, tenant_id: tenantId } of ids) {
    for (let version = 1; version <= VERSIONS_PER_TENANT && n < ROWS; version++, n++) {
      const sealed = await vault.sealSecret(oldOnly, { tenantId, secretId, version }, secret);
      pending.push({
        tenantId,
        secretId,
        version,
        columns: vault.toSealedColumns(sealed),
        fingerprint: vault.fingerprintSecret(tenantId, secret),
      });
      if (pending.length >= INSERT_CHUNK) await flush();
    }
  }
  await flush();
  await db.query('VACUUM ANALYZE secret_versions');
}

async function rewrapFigures() {
  const database = await openDatabase();
  const db = createDataSource(database.url, 4);
  await db.initialize();
  try {
    await runMigrations(db);
    let start = process.hrtime.bigint();
    await seed(db);
    const seedTime = seconds(start);

    // Baseline: the same rows rewritten by one plain UPDATE, no crypto, no batches.
    start = process.hrtime.bigint();
    await db.query(`UPDATE secret_versions SET wrapped_key = wrapped_key, master_key_id = master_key_id`);
    const plainUpdate = seconds(start);
    await db.query('VACUUM ANALYZE secret_versions');

    start = process.hrtime.bigint();
    const result = await rewrapAll(db, rotated, { batchSize: 500 });
    const rewrap = seconds(start);
    if (result.remaining !== 0 || result.rewrapped !== ROWS) throw new Error(`rewrap left ${result.remaining} rows`);

    // The new key alone opens what was re-wrapped.
    const newOnly = new vault.LocalKeyringProvider(vault.parseKeyring(NEW));
    const sample = await db.query(
      `SELECT tenant_id, secret_id, version, ciphertext, iv, wrapped_key, master_key_id FROM secret_versions
        ORDER BY random() LIMIT 100`,
    );
    for (const r of sample) {
      const opened = await vault.openSecret(
        newOnly,
        { tenantId: r.tenant_id, secretId: r.secret_id, version: r.version },
        vault.fromSealedColumns({
          ciphertext: r.ciphertext,
          iv: r.iv,
          wrappedKey: r.wrapped_key,
          masterKeyId: r.master_key_id,
        }),
      );
      if (opened.reveal() !== secret) throw new Error('a re-wrapped secret did not open to its plaintext');
    }
    const [{ server_version: pgVersion }] = await db.query('SHOW server_version');
    return { seedTime, plainUpdate, rewrap, batches: Math.ceil(ROWS / 500), where: database.where, pgVersion };
  } finally {
    await db.destroy();
    await database.close();
  }
}

const c = await cryptoFigures();
const r = await rewrapFigures();
const lines = [
  `messenger-vault bench: node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, PostgreSQL ${r.pgVersion} (${r.where})`,
  '',
  `seal   ${rate(CRYPTO_OPS, c.seal).padStart(14)}   (${CRYPTO_OPS.toLocaleString('en-US')} secrets)`,
  `open   ${rate(CRYPTO_OPS, c.open).padStart(14)}`,
  `raw AES-256-GCM encrypt ${rate(CRYPTO_OPS, c.raw)} (baseline): seal runs at ${(c.raw / c.seal).toFixed(2)}x its speed`,
  '',
  `rewrap ${ROWS.toLocaleString('en-US')} versions: ${r.rewrap.toFixed(2)} s (${rate(ROWS, r.rewrap).replace('ops', 'versions')}, ${r.batches} batches of 500)`,
  `plain UPDATE of the same rows (baseline): ${r.plainUpdate.toFixed(2)} s: rewrap takes ${(r.rewrap / r.plainUpdate).toFixed(1)}x as long`,
  `(seeding ${ROWS.toLocaleString('en-US')} sealed versions took ${r.seedTime.toFixed(2)} s)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
