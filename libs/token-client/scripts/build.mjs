// Builds the published package with plain tsc, twice (run by `prepack`, so `npm pack` always
// ships a fresh build):
//   dist/esm  ES modules + .d.ts, marked `"type": "module"` by a package.json of their own
//   dist/cjs  CommonJS + .d.ts (the package itself has no "type", so .js there is CommonJS)
// The sources import each other without extensions (the monorepo's jest and tsc -b read them
// that way); Node's ESM loader needs them, so the ESM pass adds `.js` to relative specifiers.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(join(pkg, 'package.json')).resolve('typescript/bin/tsc');

rmSync(join(pkg, 'dist/esm'), { recursive: true, force: true });
rmSync(join(pkg, 'dist/cjs'), { recursive: true, force: true });

for (const project of ['tsconfig.build.json', 'tsconfig.build.cjs.json']) {
  const run = spawnSync(process.execPath, [tsc, '-p', join(pkg, project)], { cwd: pkg, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

const esm = join(pkg, 'dist/esm');
// `from './x'`, `import('./x')` and `export * from './x'` in .js and .d.ts output.
const RELATIVE = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+?)\2/g;
for (const name of readdirSync(esm)) {
  if (!name.endsWith('.js') && !name.endsWith('.d.ts')) continue;
  const file = join(esm, name);
  const source = readFileSync(file, 'utf8');
  writeFileSync(
    file,
    source.replace(
      RELATIVE,
      (_, lead, quote, spec) => `${lead}${quote}${spec.endsWith('.js') ? spec : `${spec}.js`}${quote}`,
    ),
  );
}
writeFileSync(join(esm, 'package.json'), `${JSON.stringify({ type: 'module', sideEffects: false }, null, 2)}\n`);
