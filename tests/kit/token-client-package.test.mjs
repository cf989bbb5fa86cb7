// @messenger-vault/token-client as a tenant gets it: `npm pack` of the workspace, installed offline
// into a fresh project outside the monorepo, then type-checked (nodenext and bundler resolution),
// loaded with require() and import(), built into a Vite app, and weighed against its budget.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BUDGET_BYTES, measureBrowserBundle } from '../../bench/token-client-size/measure.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rootRequire = createRequire(join(root, 'package.json'));
const tsc = rootRequire.resolve('typescript/bin/tsc');
const viteBin = join(createRequire(join(root, 'apps/web/package.json')).resolve('vite/package.json'), '../bin/vite.js');
const NAME = '@messenger-vault/token-client';

let work = '';
let app = '';
let installed = '';

function run(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function write(file, content) {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'token-client-kit-'));
  const packed = JSON.parse(
    run('npm', ['pack', '-w', 'libs/token-client', '--pack-destination', work, '--json'], root),
  );
  const tarball = join(work, packed[0].filename);

  app = join(work, 'app');
  write(join(app, 'package.json'), { name: 'tenant-app', private: true, version: '1.0.0', type: 'module' });
  // No registry: this works only because the package has no dependencies to fetch.
  run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], app, {
    npm_config_cache: join(work, 'npm-cache'),
  });
  installed = join(app, 'node_modules', NAME);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball is a public package with an exports map, no runtime dependencies and sideEffects: false', () => {
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(manifest.private, undefined);
  assert.equal(manifest.sideEffects, false);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    assert.equal(manifest[field], undefined, `${field} in the published package.json`);
  }
  assert.deepEqual(Object.keys(manifest.exports['.']).sort(), ['import', 'require']);
  for (const condition of ['import', 'require']) {
    for (const target of Object.values(manifest.exports['.'][condition])) {
      assert.ok(existsSync(join(installed, target)), `${condition} → ${target} is in the tarball`);
    }
  }
  // Nothing else was installed next to it.
  assert.deepEqual(
    readdirSync(join(app, 'node_modules')).filter((d) => !d.startsWith('.')),
    ['@messenger-vault'],
  );
  // Only the build and the README ship: no sources, tests or build configuration.
  const shipped = readdirSync(installed, { recursive: true }).map(String);
  assert.ok(
    !shipped.some((f) => f.endsWith('.test.js') || f.startsWith('src') || f.includes('tsconfig')),
    shipped.join(', '),
  );
});

// Real use of the API, and lines that must NOT compile: if the types resolved to `any` (or did
// not resolve), the @ts-expect-error lines would be errors themselves.
const consumer = (importLine) => `${importLine}

const client = createTokenClient({ fetchToken: backendFetcher('/api/intercom-token', { platform: 'web' }) });
const token: IssuedToken = { mode: 'jwt', userId: '42', appId: 'abc123', token: 'e30.e30.sig', expiresAt: '2030-01-01T00:00:00Z' };
export const settings: Record<string, unknown> = identitySettings(token, { user_id: '42' });
// No target: window.Intercom, looked up at each call.
export const session: Promise<IntercomSession> = bootIntercom(undefined, { client, user: { user_id: '42' } });
const intercom = (window as { Intercom?: IntercomFunction }).Intercom;
intercom?.('shutdown');
export const failure: TokenError = new TokenError('network', 'offline');
// @ts-expect-error: not a Messenger command
intercom?.('explode');
// @ts-expect-error: a TokenUser needs a user_id
identitySettings(token, {});
// @ts-expect-error: getToken returns a promise of an IssuedToken, not a string
export const wrong: Promise<string> = client.getToken({ user_id: '42' });
`;
const named = 'backendFetcher, bootIntercom, createTokenClient, identitySettings, TokenError';
const types = 'type IntercomFunction, type IntercomSession, type IssuedToken';

function typecheck(name, compilerOptions, files) {
  write(join(app, `tsconfig.${name}.json`), {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      types: [],
      // The shipped .d.ts files are checked too.
      skipLibCheck: false,
      ...compilerOptions,
    },
    files,
  });
  const result = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: app, encoding: 'utf8' });
  assert.equal(result.status, 0, `tsc (${name}):\n${result.stdout}${result.stderr}`);
}

test('a consumer type-checks under moduleResolution nodenext, from ESM and from CommonJS', () => {
  write(join(app, 'src/esm.mts'), consumer(`import { ${named}, ${types} } from '${NAME}';`));
  write(
    join(app, 'src/cjs.cts'),
    consumer(
      `import tc = require('${NAME}');\nconst { ${named} } = tc;\ntype IntercomFunction = tc.IntercomFunction;\ntype IntercomSession = tc.IntercomSession;\ntype IssuedToken = tc.IssuedToken;\ntype TokenError = tc.TokenError;`,
    ),
  );
  typecheck('nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, ['src/esm.mts', 'src/cjs.cts']);
});

test('a consumer type-checks under moduleResolution bundler', () => {
  write(join(app, 'src/bundler.ts'), consumer(`import { ${named}, ${types} } from '${NAME}';`));
  typecheck('bundler', { module: 'esnext', moduleResolution: 'bundler', verbatimModuleSyntax: true }, [
    'src/bundler.ts',
  ]);
});

const probe = `
  const token = { mode: 'hmac', userId: '7', appId: 'abc123', userHash: 'h' };
  const out = {
    settings: m.identitySettings(token, { user_id: '7', email: 'a@example.com' }),
    createTokenClient: typeof m.createTokenClient,
    isError: new m.TokenError('network', 'x') instanceof Error,
  };
`;

test("beside Intercom's @intercom/messenger-js-sdk: no clashing globals, and its module is a bootIntercom target", () => {
  // The SDK declares window.Intercom and window.intercomSettings itself; a second declaration of
  // another type would be a compile error in every app that has both (skipLibCheck: false here).
  const sdkDir = join(rootRequire.resolve('@intercom/messenger-js-sdk/package.json'), '..');
  const packed = JSON.parse(run('npm', ['pack', sdkDir, '--pack-destination', work, '--json'], root));
  const both = join(work, 'app-with-sdk');
  write(join(both, 'package.json'), { name: 'tenant-app-sdk', private: true, version: '1.0.0', type: 'module' });
  const tarball = readdirSync(work).find((f) => f.startsWith('messenger-vault-token-client-'));
  run(
    'npm',
    ['install', join(work, tarball), join(work, packed[0].filename), '--offline', '--no-audit', '--no-fund'],
    both,
    {
      npm_config_cache: join(work, 'npm-cache'),
    },
  );
  write(
    join(both, 'src/main.ts'),
    `import * as sdk from '@intercom/messenger-js-sdk';
import { boot, shutdown, update } from '@intercom/messenger-js-sdk';
import { backendFetcher, bootIntercom, createTokenClient, type IntercomSession } from '${NAME}';

const client = createTokenClient({ fetchToken: backendFetcher('/api/intercom-token') });
export const whole: Promise<IntercomSession> = bootIntercom(sdk, {
  apiBase: 'https://api-iam.eu.intercom.io',
  user: { user_id: '42' },
  client,
});
export const picked: Promise<IntercomSession> = bootIntercom({ boot, update, shutdown }, { user: { user_id: '42' }, client });
window.Intercom?.('show');
`,
  );
  write(join(both, 'tsconfig.json'), {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      types: [],
      skipLibCheck: false,
      module: 'esnext',
      moduleResolution: 'bundler',
    },
    files: ['src/main.ts'],
  });
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: both, encoding: 'utf8' });
  assert.equal(result.status, 0, `tsc (with the SDK):\n${result.stdout}${result.stderr}`);
});

test('require() loads the CommonJS build', () => {
  const out = run(
    process.execPath,
    [
      '-e',
      `const m = require('${NAME}');${probe} out.file = require.resolve('${NAME}'); console.log(JSON.stringify(out));`,
    ],
    app,
  );
  const result = JSON.parse(out);
  assert.equal(result.file, join(installed, 'dist/cjs/index.js'));
  assert.equal(result.createTokenClient, 'function');
  assert.equal(result.isError, true);
  assert.deepEqual(result.settings, { user_id: '7', email: 'a@example.com', user_hash: 'h' });
});

test('import() loads the ES module build', () => {
  const out = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import('${NAME}');${probe} out.file = import.meta.resolve('${NAME}'); console.log(JSON.stringify(out));`,
    ],
    app,
  );
  const result = JSON.parse(out);
  assert.equal(fileURLToPath(result.file), join(installed, 'dist/esm/index.js'));
  assert.equal(result.createTokenClient, 'function');
  assert.equal(result.isError, true);
  assert.deepEqual(result.settings, { user_id: '7', email: 'a@example.com', user_hash: 'h' });
});

test('a Vite app builds with it, and keeps only what it imports', () => {
  write(join(app, 'vite.config.mjs'), "export default { logLevel: 'warn', build: { outDir: 'dist' } };\n");
  write(
    join(app, 'index.html'),
    '<!doctype html><html><body><script type="module" src="/main.js"></script></body></html>\n',
  );
  write(
    join(app, 'main.js'),
    `import { identitySettings } from '${NAME}';\n` +
      "const token = { mode: 'jwt', userId: '1', appId: 'a', token: 't', expiresAt: '2030-01-01T00:00:00Z' };\n" +
      "window.Intercom?.('update', identitySettings(token, { user_id: '1' }));\n",
  );
  run(process.execPath, [viteBin, 'build'], app);
  const assets = join(app, 'dist/assets');
  const code = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(assets, f), 'utf8'))
    .join('\n');
  assert.match(code, /intercom_user_jwt/);
  // sideEffects: false and ESM let the bundler drop the client it does not use.
  assert.doesNotMatch(code, /This token client was disposed/);
});

test(`what a browser loads is at most ${BUDGET_BYTES / 1024} KB min+gzip`, async () => {
  const { gzipBytes, minBytes } = await measureBrowserBundle(join(installed, 'dist/esm/index.js'));
  assert.ok(minBytes > 1000, `the bundle has the client in it (${minBytes} bytes minified)`);
  assert.ok(gzipBytes <= BUDGET_BYTES, `${gzipBytes} bytes min+gzip, budget ${BUDGET_BYTES}`);
});
