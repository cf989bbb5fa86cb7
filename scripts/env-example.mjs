// Writes .env.example from the API's environment declarations (apps/api/src/config/env.schema.ts).
// A test fails when the two differ, so run `node scripts/env-example.mjs` after adding a variable.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
build(['api'], { quiet: true });
const { ENV } = createRequire(import.meta.url)(join(root, 'apps/api/dist/apps/api/src/config/env.schema.js'));

const lines = [
  '# Every environment variable messenger-vault reads, with its default.',
  '# Generated from apps/api/src/config/env.schema.ts by `node scripts/env-example.mjs`.',
  '# Lines commented out have no default; secrets never have one.',
  '',
];
for (const v of ENV) {
  lines.push(`# ${v.description}${v.values ? ` One of: ${v.values.join(', ')}.` : ''}${v.secret ? ' (secret)' : ''}`);
  lines.push(v.default !== undefined ? `${v.name}=${v.default}` : `# ${v.name}=`);
  lines.push('');
}
writeFileSync(join(root, '.env.example'), lines.join('\n'));
process.stdout.write(`Wrote .env.example with ${ENV.length} variables.\n`);
