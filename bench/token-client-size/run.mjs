// bench/token-client-size: min+gzip size of what a browser loads from @messenger-vault/token-client,
// against its budget. Builds the package first (the same build `npm pack` runs).
//   npm run bench:token-client-size
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUDGET_BYTES, measureBrowserBundle } from './measure.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = join(root, 'libs/token-client');
const built = spawnSync(process.execPath, [join(pkg, 'scripts/build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const esm = join(pkg, 'dist/esm');
const unbundled = readdirSync(esm)
  .filter((f) => f.endsWith('.js'))
  .reduce((sum, f) => sum + statSync(join(esm, f)).size, 0);
const { minBytes, gzipBytes } = await measureBrowserBundle(join(esm, 'index.js'));
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const log = (line) => process.stdout.write(`${line}\n`);
log('@messenger-vault/token-client, browser entry (dist/esm, every export)');
log(`  tsc output, unbundled   ${kb(unbundled)}`);
log(`  bundled + minified      ${kb(minBytes)}`);
log(
  `  min + gzip              ${kb(gzipBytes)}   budget ${kb(BUDGET_BYTES)}   ${((gzipBytes / BUDGET_BYTES) * 100).toFixed(0)}% of budget`,
);
if (gzipBytes > BUDGET_BYTES) {
  log('  OVER BUDGET');
  process.exit(1);
}
