// `npm run cli -- <command>`: the operations CLI, built on demand like `npm start`.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
build(['api'], { quiet: true });
const { runCli } = createRequire(import.meta.url)(join(root, 'apps/api/dist/apps/api/src/cli/main.js'));
process.exitCode = await runCli(process.argv.slice(2));
