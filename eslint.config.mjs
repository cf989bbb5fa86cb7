// The folder layout is the architecture; these rules make it mechanical:
// libs stay pure (no Nest, no TypeORM, no apps), the web talks to the API only over HTTP.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const appImports = {
  group: ['**/apps/*', '@messenger-vault/api', '@messenger-vault/web'],
  message: 'libs must not import an app.',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.test-results/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    // No import cycles, and no reaching into another workspace by a relative path
    // (`../../../../libs/x/src/...`): that would walk around the rules below.
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['apps/*/tsconfig.json', 'libs/*/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-relative-packages': 'error',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            appImports,
            {
              group: ['@nestjs/*', 'typeorm', 'pg', 'fastify', '@fastify/*'],
              message: 'libs are pure TypeScript: no Nest, no database, no HTTP server.',
            },
          ],
        },
      ],
    },
  },
  {
    // The browser entry of libs/intercom and what it imports run in the web app: no Node.
    files: ['libs/intercom/src/{browser,app-id,region,platform}.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'jose'], message: 'The browser entry of libs/intercom must run in a browser.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/api/**', '@messenger-vault/api', '@messenger-vault/api/*'],
              message: 'The web talks to the API over HTTP; share types through @messenger-vault/contracts.',
            },
            {
              // Exact names: '@messenger-vault/intercom/browser' is the one way in (no Node inside).
              regex: '^(@messenger-vault/(vault|intercom)(/(?!browser$).*)?|.*/libs/[^/]+/src/.*)$',
              message:
                'Server-side libs stay on the server; the web uses @messenger-vault/contracts and @messenger-vault/intercom/browser.',
            },
          ],
        },
      ],
    },
  },
  {
    // Outbound HTTP goes through apps/api/src/common/outbound (docs/decisions/0016): it refuses
    // special-use addresses at connection time and never follows redirects. Operator-configured
    // URLs (INTERCOM_API_URL, the OIDC issuer) may use operatorFetch from the same folder.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/common/outbound/**', '**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Use outboundRequest/outboundFetch (or operatorFetch) from common/outbound.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'globalThis', property: 'fetch', message: 'Use common/outbound.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: ['node:http', 'http', 'node:https', 'https'].map((name) => ({
            name,
            importNames: ['request', 'get', 'Agent'],
            message: 'Outbound HTTP goes through common/outbound.',
          })),
          patterns: [
            { group: ['undici', 'axios', 'got', 'node-fetch'], message: 'Outbound HTTP goes through common/outbound.' },
          ],
        },
      ],
    },
  },
);
