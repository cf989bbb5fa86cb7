// What a browser downloads for @messenger-vault/token-client: the package's ESM entry (every
// export, so no tree-shaking flatters the figure), bundled and minified by the Vite the web app
// builds with, then gzipped at level 9.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const BUDGET_BYTES = 4 * 1024;

/** @param {string} entry an ESM file, e.g. `<package>/dist/esm/index.js` */
export async function measureBrowserBundle(entry) {
  const vitePath = createRequire(join(root, 'apps/web/package.json')).resolve('vite');
  const { build } = await import(vitePath);
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: fileURLToPath(new URL('.', import.meta.url)),
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      rollupOptions: { input: entry, preserveEntrySignatures: 'strict', output: { format: 'es' } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const code = outputs
    .filter((o) => o.type === 'chunk')
    .map((o) => o.code)
    .join('\n');
  return {
    sourceBytes: statSync(entry).size,
    minBytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
    code,
  };
}
