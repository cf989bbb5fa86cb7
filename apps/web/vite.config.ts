import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const contractsEntry = fileURLToPath(new URL('../../libs/contracts/src/index.ts', import.meta.url));
const intercomBrowserEntry = fileURLToPath(new URL('../../libs/intercom/src/browser.ts', import.meta.url));

// Everything the NestJS API serves. `changeOrigin` stays false on purpose: the API's CSRF
// check compares `Origin` with the scheme and `Host` of the request, so the proxied request
// must keep the browser's `Host` (localhost:5173) for sign-in and every mutation to pass.
const api = { target: 'http://localhost:3000', changeOrigin: false };

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  resolve: {
    // The web app shares types and rules with the API through libs/contracts and the browser-safe
    // entry of libs/intercom (the APP_ID parser), read from source so there is nothing to build first.
    alias: { '@messenger-vault/contracts': contractsEntry, '@messenger-vault/intercom/browser': intercomBrowserEntry },
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
  },
});
