// The example apps under examples/ in real Chromium against the app started as `npm start` does:
// the Vite web app gets its tokens from the exchange endpoint with an ID token from a stand-in
// identity provider (a real JWKS over HTTP), and through examples/backend-proxy, which holds the
// API key. The Messenger widget cannot load here, so a recording stand-in takes the place of
// window.Intercom; every boot/update for a signed-in user must carry a JWT that verifies with the
// tenant's secret and names that user.
/* global window */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { signInToApi } from './support/api.mjs';
import { STAFF, root, startApp } from './support/app.mjs';
import { launchBrowser } from './support/browser.mjs';

const jwt = createRequire(join(root, 'package.json'))('jsonwebtoken');
const viteBin = join(createRequire(join(root, 'apps/web/package.json')).resolve('vite/package.json'), '../bin/vite.js');
const webApp = join(root, 'examples/web-app');
const ISSUER = 'https://idp.example-apps.test/';
const AUDIENCE = 'example-web-app';
const API_BASE = 'https://api-iam.eu.intercom.io';
const TIMEOUT = 15_000;

const port = () => 20000 + Math.floor(Math.random() * 10000);
const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A stand-in identity provider: an RSA key, its JWKS over real HTTP, and RS256 ID tokens. */
async function startIdentityProvider() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'example-1', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    jwksUrl: `http://127.0.0.1:${server.address().port}/jwks.json`,
    idToken(claims) {
      const now = Math.floor(Date.now() / 1000);
      const body = `${b64url({ alg: 'RS256', kid: 'example-1', typ: 'JWT' })}.${b64url({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, ...claims })}`;
      return `${body}.${createSign('sha256').update(body).sign(privateKey, 'base64url')}`;
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

function run(args, options) {
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', ...options });
  assert.equal(result.status, 0, `${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
}

/** A process that is ready once it prints `ready` (a string) on stdout. */
async function serve(args, { cwd, env, ready }) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} not ready:\n${output}`)), 30_000);
    child.stdout.on('data', () => output.includes(ready) && (clearTimeout(timer), resolve()));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`exited with ${code}:\n${output}`))));
  });
  return {
    output: () => output,
    stop: () =>
      child.exitCode === null
        ? new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')))
        : Promise.resolve(),
  };
}

describe('the example apps boot the Messenger with verified tokens', { timeout: 600_000 }, () => {
  let app;
  let idp;
  let browser;
  let preview;
  let proxy;
  let tenant;
  let scratch;
  const previewUrl = `http://127.0.0.1:${port()}`;
  const proxyUrl = `http://127.0.0.1:${port()}`;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'mv-example-apps-'));
    // The web app takes the token client from the workspace, as built for packing.
    run([join(root, 'libs/token-client/scripts/build.mjs')], { cwd: root });
    idp = await startIdentityProvider();
    app = await startApp();

    const api = await signInToApi(app.baseUrl, STAFF);
    const created = await api('POST', '/api/tenants', { name: 'Example apps' });
    const appId = `xa${randomBytes(3).toString('hex')}`;
    await api('PUT', `/api/tenants/${created.id}/intercom/app-id`, { appId });
    const secret = `sk_${randomBytes(24).toString('base64url')}`;
    await api('PUT', `/api/tenants/${created.id}/intercom/secret`, { secret });
    await api('PUT', `/api/tenants/${created.id}/intercom/identity-provider`, {
      issuer: ISSUER,
      jwksUrl: idp.jwksUrl,
      audience: AUDIENCE,
      userIdClaim: 'sub',
      emailClaim: 'email',
      allowedOrigins: [previewUrl],
    });
    const key = await api('POST', `/api/tenants/${created.id}/api-keys`, { name: 'example backend' });
    tenant = { id: created.id, appId, secret, apiKey: key.key };

    const common = {
      VITE_MESSENGER_VAULT_URL: app.baseUrl,
      VITE_MESSENGER_VAULT_TENANT_ID: tenant.id,
      VITE_INTERCOM_APP_ID: appId,
      VITE_INTERCOM_API_BASE: API_BASE,
    };
    const build = (outDir, env) =>
      run([viteBin, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], {
        cwd: webApp,
        env: { ...process.env, ...common, VITE_TOKEN_ENDPOINT: '', ...env },
      });
    build(join(scratch, 'exchange'), {});
    build(join(scratch, 'backend'), { VITE_TOKEN_ENDPOINT: '/api/intercom-token' });

    const { port: previewPort } = new URL(previewUrl);
    preview = await serve(
      [
        viteBin,
        'preview',
        '--outDir',
        join(scratch, 'exchange'),
        '--host',
        '127.0.0.1',
        '--port',
        previewPort,
        '--strictPort',
      ],
      { cwd: webApp, ready: previewPort },
    );
    proxy = await serve([join(root, 'examples/backend-proxy/server.mjs')], {
      cwd: join(root, 'examples/backend-proxy'),
      env: {
        PORT: new URL(proxyUrl).port,
        MESSENGER_VAULT_URL: app.baseUrl,
        MESSENGER_VAULT_API_KEY: tenant.apiKey,
        STATIC_DIR: join(scratch, 'backend'),
      },
      ready: 'listening',
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await proxy?.stop();
    await preview?.stop();
    await app?.stop();
    await idp?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** A page whose window.Intercom records every call; the real widget is never requested. */
  async function recordingPage() {
    const context = await browser.newContext();
    const widgetRequests = [];
    await context.route(
      /^https?:\/\/([\w-]+\.)*intercom(cdn)?\.(io|com)\//,
      (route) => (widgetRequests.push(route.request().url()), route.abort()),
    );
    await context.addInitScript(() => {
      window.__intercomCalls = [];
      window.Intercom = (command, settings) =>
        window.__intercomCalls.push([command, settings === undefined ? null : JSON.parse(JSON.stringify(settings))]);
    });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    return { page, widgetRequests, calls: () => page.evaluate(() => window.__intercomCalls) };
  }

  /** The Messenger JWT of a boot/update call: verified with the tenant's secret, for this user. */
  function verifiedClaims(settings, userId) {
    assert.equal(settings.user_id, userId);
    assert.equal(typeof settings.intercom_user_jwt, 'string', `no JWT in ${JSON.stringify(settings)}`);
    const claims = jwt.verify(settings.intercom_user_jwt, tenant.secret, { algorithms: ['HS256'] });
    assert.equal(claims.user_id, userId);
    assert.ok(claims.exp > Date.now() / 1000);
    return claims;
  }

  /** Waits for the app's status line to say `text`; on a timeout, says what it said instead. */
  async function statusSays(page, text) {
    try {
      await page.getByRole('status').filter({ hasText: text }).waitFor();
    } catch (error) {
      const said = await page
        .getByRole('status')
        .textContent()
        .catch(() => '(no status line)');
      throw new Error(`the page never said "${text}"; it says: "${said}"`, { cause: error });
    }
  }

  /** Boot, a page view, sign-out: the order Intercom asks for, each identified call signed. */
  async function walkThrough({ page, calls }, userId) {
    await statusSays(page, `Signed in as ${userId}`);
    const [boot, ...rest] = await calls();
    assert.deepEqual(rest, []);
    assert.equal(boot[0], 'boot');
    assert.equal(boot[1].app_id, tenant.appId);
    assert.equal(boot[1].api_base, API_BASE);
    const bootClaims = verifiedClaims(boot[1], userId);
    // JWT mode: email and name travel signed inside the token, not beside it.
    assert.equal(boot[1].email, undefined);

    await page.getByRole('button', { name: 'Record a page view' }).click();
    await statusSays(page, 'Page view sent');
    const update = (await calls())[1];
    assert.equal(update[0], 'update');
    assert.equal(typeof update[1].last_request_at, 'number');
    verifiedClaims(update[1], userId);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await statusSays(page, 'Signed out');
    const [shutdown, anonymous, ...more] = (await calls()).slice(2);
    assert.deepEqual(shutdown, ['shutdown', null]);
    assert.deepEqual(anonymous, ['boot', { app_id: tenant.appId, api_base: API_BASE }]);
    assert.deepEqual(more, []);
    return bootClaims;
  }

  test('the web app with the exchange endpoint: ID token in, signed Messenger calls out', async () => {
    const recording = await recordingPage();
    const idToken = idp.idToken({ sub: 'user-7', email: 'ada@example.com', email_verified: true, name: 'Ada' });
    await recording.page.goto(`${previewUrl}/#id_token=${idToken}`);
    const claims = await walkThrough(recording, 'user-7');
    assert.equal(claims.email, 'ada@example.com');
    assert.deepEqual(recording.widgetRequests, []);
    await recording.page.context().close();
  });

  test('the web app without an ID token boots the Messenger for an anonymous visitor only', async () => {
    const recording = await recordingPage();
    await recording.page.goto(previewUrl);
    await statusSays(recording.page, 'Not signed in');
    assert.deepEqual(await recording.calls(), [['boot', { app_id: tenant.appId, api_base: API_BASE }]]);
    await recording.page.context().close();
  });

  test('the web app through the backend proxy: the session names the user, the key stays on the server', async () => {
    const recording = await recordingPage();
    const { page } = recording;
    await page.goto(`${proxyUrl}/demo/sign-in?user_id=user-8&email=grace@example.com&name=Grace`);
    // Before signing out: the page must not be able to get a token for someone else.
    await statusSays(page, 'Signed in as user-8');
    const forged = await page.evaluate(() =>
      fetch('/api/intercom-token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user_id: 'user-1', platform: 'web' }),
      }).then((r) => r.status),
    );
    assert.equal(forged, 403);
    const claims = await walkThrough(recording, 'user-8');
    assert.equal(claims.email, 'grace@example.com');
    assert.equal(claims.name, 'Grace');
    assert.deepEqual(recording.widgetRequests, []);

    // Signed out, the proxy gives no token at all; and the key is in nothing it served.
    const refused = await page.evaluate(() => fetch('/api/intercom-token', { method: 'POST' }).then((r) => r.status));
    assert.equal(refused, 401);
    const served = readdirSync(join(scratch, 'backend'), { recursive: true })
      .map(String)
      .filter((f) => /\.(js|html)$/.test(f))
      .map((f) => readFileSync(join(scratch, 'backend', f), 'utf8'))
      .join('\n');
    assert.ok(served.includes('/api/intercom-token'));
    assert.ok(!served.includes(tenant.apiKey.slice(4, 16)), 'the API key is in the built web app');
    assert.ok(!proxy.output().includes(tenant.apiKey), 'the proxy logged its API key');
    await page.context().close();
  });
});
