// Builds what is out of date: the API (tsc, with the libs it references) and the web app (vite).
// `npm start` and `npm run cli` call this first, so a fresh clone needs no separate build step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const TARGETS = {
  api: {
    inputs: ['apps/api/src', 'apps/api/tsconfig.json', 'libs', 'migrations', 'tsconfig.base.json'],
    output: 'apps/api/dist/apps/api/src/main.js',
    command: [process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'apps/api/tsconfig.json']],
  },
  web: {
    inputs: [
      'apps/web/src',
      'apps/web/index.html',
      'apps/web/vite.config.ts',
      'apps/web/public',
      'libs/contracts/src',
      'libs/intercom/src',
      'examples/backend', // shown on the Integration page
    ],
    output: 'apps/web/dist/index.html',
    command: [
      process.execPath,
      [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: join(root, 'apps/web') },
    ],
  },
};

function newestMtime(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const st = statSync(full);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(full)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.endsWith('.tsbuildinfo')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function build(names = Object.keys(TARGETS), { quiet = false } = {}) {
  for (const name of names) {
    const target = TARGETS[name];
    const output = join(root, target.output);
    const builtAt = existsSync(output) ? statSync(output).mtimeMs : 0;
    const changedAt = Math.max(...target.inputs.map(newestMtime));
    if (builtAt && builtAt >= changedAt) continue;
    if (!quiet)
      process.stdout.write(
        `Building ${name} (${relative(root, output)} is ${builtAt ? 'out of date' : 'missing'})...\n`,
      );
    const started = Date.now();
    const [cmd, args, opts = {}] = target.command;
    const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
    if (result.status !== 0) {
      process.stderr.write(`Building ${name} failed (exit ${result.status}). Fix the errors above and run again.\n`);
      process.exit(1);
    }
    // tsc -b leaves outputs untouched when nothing changed; touch so the next check is cheap.
    const now = new Date();
    if (existsSync(output)) utimesSync(output, now, now);
    if (!quiet) process.stdout.write(`Built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  build(process.argv.slice(2).length ? process.argv.slice(2) : undefined);
