// `npm run bench:hsm [-- --ops N]`: how fast signing keys open on the token hot path with the
// master key in memory (local) and in a PKCS#11 HSM (SoftHSM2), with the decrypted-key cache on
// (VAULT_CACHE_TTL_SECONDS > 0: the real VerifiedCache the API uses) and off (every lookup
// unwraps the data key and decrypts the secret). Ratios are against the same run's local
// figures, so a slower machine moves both. SoftHSM2 is software: a network HSM adds a round trip
// per unwrap, which only widens the gap the cache closes. No database: lookups load from memory.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../scripts/build.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
build(['api'], { quiet: true });
const require = createRequire(import.meta.url);
const vault = require('@messenger-vault/vault');
const { VerifiedCache } = require(join(root, 'apps/api/dist/apps/api/src/core/verified-cache.js'));

const opsArg = process.argv.indexOf('--ops');
const OPS = opsArg > 0 ? Number(process.argv[opsArg + 1]) : 20_000;
const TENANTS = 1_000;
const MODULE = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find(existsSync);
if (!MODULE) {
  process.stderr.write('bench:hsm needs SoftHSM2 (apt-get install -y softhsm2).\n');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'mv-bench-hsm-'));
mkdirSync(join(dir, 'tokens'));
writeFileSync(
  join(dir, 'softhsm2.conf'),
  `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\n`,
);
process.env.SOFTHSM2_CONF = join(dir, 'softhsm2.conf');
const PIN = 'bench-pin-1234';
execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'bench', '--pin', PIN, '--so-pin', '9999'], {
  stdio: 'ignore',
});
const token = new vault.Pkcs11Token({ module: MODULE, tokenLabel: 'bench', pin: () => PIN });
token.generateKey('bench-kek');

const providers = {
  local: new vault.LocalKeyringProvider(vault.parseKeyring(vault.generateKeyring({ id: 'k-local' }))),
  hsm: new vault.MixedKeyringProvider(vault.parseKeyringSpec('hsm1:pkcs11:bench-kek'), (e) => token.key(e.id, e.ref)),
};
const secret = 'sk_bench_0123456789abcdefghijklmnopqrstuv';
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
/** Median of three timed rounds after one untimed round: JIT and a shared machine both skew single runs. */
async function median(round) {
  await round();
  const rates = [await round(), await round(), await round()].sort((x, y) => x - y);
  return rates[1];
}
const fmt = (n) => `${Math.round(n).toLocaleString('en-US')}/s`;

async function figures(name, provider) {
  const bindings = Array.from({ length: TENANTS }, (_, i) => ({ tenantId: `t-${i}`, secretId: `s-${i}`, version: 1 }));
  const sealed = [];
  for (const b of bindings) sealed.push(await vault.sealSecret(provider, b, secret));
  const open = (i) => vault.openSecret(provider, bindings[i], sealed[i]);
  for (let i = 0; i < 500; i++) await open(i % TENANTS); // warm up

  // Cache off: each lookup unwraps the data key under the master key and decrypts the secret.
  const uncached = await median(async () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) await open(i % TENANTS);
    return OPS / seconds(start);
  });

  const cache = new VerifiedCache(
    { up: true },
    { freshMs: () => 60_000, staleMs: 300_000, listening: () => true, max: 10_000 },
  );
  for (let i = 0; i < TENANTS; i++) await cache.get(i, () => open(i));
  const loadedBefore = cache.stats.loaded;
  const cached = await median(async () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) await cache.get(i % TENANTS, () => open(i % TENANTS));
    return OPS / seconds(start);
  });
  const missed = cache.stats.loaded - loadedBefore;
  if (missed !== 0) throw new Error(`${name}: the cache missed ${missed} time(s)`);
  return { uncached, cached };
}

try {
  const local = await figures('local', providers.local);
  const hsm = await figures('hsm', providers.hsm);
  const rows = [
    ['local master key, cache off', local.uncached, 1],
    ['local master key, cache on', local.cached, local.cached / local.uncached],
    ['HSM (SoftHSM2), cache off', hsm.uncached, hsm.uncached / local.uncached],
    ['HSM (SoftHSM2), cache on', hsm.cached, hsm.cached / local.uncached],
  ];
  console.log(
    `signing-key lookups, ${OPS.toLocaleString('en-US')} over ${TENANTS} tenants (ratio vs local, cache off):`,
  );
  for (const [what, rate, ratio] of rows)
    console.log(`  ${what.padEnd(30)} ${fmt(rate).padStart(14)}  ${ratio.toFixed(2)}x`);
  console.log(`  HSM / local, cache off:         ${(hsm.uncached / local.uncached).toFixed(2)}x`);
  console.log(`  HSM cache on / HSM cache off:   ${(hsm.cached / hsm.uncached).toFixed(1)}x`);
} finally {
  token.close();
  rmSync(dir, { recursive: true, force: true });
}
