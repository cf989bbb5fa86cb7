import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const contractsEntry = fileURLToPath(new URL('../../libs/contracts/src/index.ts', import.meta.url));
const intercomBrowserEntry = fileURLToPath(new URL('../../libs/intercom/src/browser.ts', import.meta.url));
// The backend examples CI runs (examples/backend/), shown on the Integration page as they are.
const examplesDir = fileURLToPath(new URL('../../examples', import.meta.url));

// Everything the NestJS API serves. `changeOrigin` stays false on purpose: the API's CSRF
// check compares `Origin` with the scheme and `Host` of the request, so the proxied request
// must keep the browser's `Host` (localhost:5173) for sign-in and every mutation to pass.
const api = { target: 'http://localhost:3000', changeOrigin: false };

export default defineConfig({
  root: webRoot,
  plugins: [react(), precompress()],
  resolve: {
    // The web app shares types and rules with the API through libs/contracts and the browser-safe
    // entry of libs/intercom (the APP_ID parser), read from source so there is nothing to build first.
    alias: {
      '@messenger-vault/contracts': contractsEntry,
      '@messenger-vault/intercom/browser': intercomBrowserEntry,
      '@messenger-vault/examples': examplesDir,
    },
  },
  server: {
    proxy: {
      '/api': api,
      '/v1': api,
      '/healthz': api,
      '/readyz': api,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // A phone on a slow link pays a round trip per file. Without groups, the first page
        // loaded the entry plus ~10 small shared chunks, and a deep link into the setup wizard
        // ~60 files in waves. Grouped (decision 0060): what the first page imports statically;
        // the signed-in shell with the tenant frame, under which every signed-in page renders;
        // the wizard with its first step; the account menu. Each takes its dependencies along.
        codeSplitting: {
          groups: [
            { name: 'app', tags: ['$initial'], priority: 4 },
            // Before the two below, so that it keeps them: the form parts the sign-in page shares
            // with the wizard, which would otherwise land in (and have the sign-in page load) those.
            {
              name: 'forms',
              test: /@mantine\/(core\/esm\/components\/(Anchor|Input|InputBase|TextInput|PasswordInput|Paper|ActionIcon|Container)|hooks\/esm\/use-document-title)\//,
              priority: 3,
            },
            {
              name: 'shell',
              // With two pieces the wizard and the account menu share, so the menu needs no wizard.
              test: /src\/features\/(shell\/AppShell|tenants\/TenantLayout)\.tsx$|@mantine\/core\/esm\/components\/(Checkbox\/CheckIcon\.mjs|VisuallyHidden\/)/,
              priority: 2,
            },
            {
              name: 'wizard',
              test: /src\/features\/intercom\/(SetupWizardPage|steps\/AppIdStep)\.tsx$/,
              priority: 1,
            },
            // Loaded by the shell once it shows (AccountMenu.tsx); with Floating UI it needs.
            { name: 'account-menu', test: /src\/features\/shell\/AccountMenu\.tsx$/, priority: 0 },
          ],
        },
      },
    },
  },
});

/**
 * Writes `name.br` and `name.gz` next to every text file of the build, compressed once at the
 * highest levels, so the API serves them (@fastify/static `preCompressed`) without compressing
 * per request. Tiny files are left alone: compressing them saves less than the header costs.
 */
function precompress(): Plugin {
  const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|map)$/;
  const MIN_BYTES = 1024;
  let outDir = '';
  return {
    name: 'messenger-vault:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
        const file = join(entry.parentPath, entry.name);
        const content = readFileSync(file);
        if (content.length < MIN_BYTES) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(content, {
            params: {
              [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
              [zlib.BROTLI_PARAM_SIZE_HINT]: content.length,
            },
          }),
        );
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}
