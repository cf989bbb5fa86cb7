// The backend examples (examples/backend/<language>/) run as a tenant would run them, against the
// app started as `npm start` does: each asks for a token with a real API key, and the token must
// verify with the tenant's secret and carry the user it was asked for; with a wrong key each must
// fail and show the API's error code. A language whose runtime is not installed is skipped (never
// counted as passed); under CI=true a runtime .ci/run installs from Debian must be there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { signInToApi } from '../e2e/support/api.mjs';
import { STAFF, root, startApp } from '../e2e/support/app.mjs';

const jwt = createRequire(join(root, 'package.json'))('jsonwebtoken');
const examples = join(root, 'examples/backend');
const TTL_SECONDS = 900;

/**
 * How each example runs. `debian` names the package .ci/run installs; C# has none (the .NET SDK
 * is not in Debian), so it runs only where `dotnet` already is.
 */
const LANGUAGES = [
  { name: 'Node', dir: 'node', probe: [process.execPath, '--version'], run: [process.execPath, 'token.mjs'] },
  { name: 'Python', dir: 'python', debian: 'python3', probe: ['python3', '--version'], run: ['python3', 'token.py'] },
  { name: 'Ruby', dir: 'ruby', debian: 'ruby', probe: ['ruby', '--version'], run: ['ruby', 'token.rb'] },
  { name: 'PHP', dir: 'php', debian: 'php-cli', probe: ['php', '--version'], run: ['php', 'token.php'] },
  { name: 'Go', dir: 'go', debian: 'golang-go', probe: ['go', 'version'], run: ['go', 'run', 'main.go'] },
  {
    name: 'Java',
    dir: 'java',
    debian: 'default-jdk-headless',
    probe: ['java', '--version'],
    run: ['java', 'TokenExample.java'],
  },
  {
    name: 'C#',
    dir: 'csharp',
    probe: ['dotnet', '--version'],
    run: ['dotnet', 'run', '--nologo', '--'],
  },
];

function available({ probe }) {
  const result = spawnSync(probe[0], probe.slice(1), { encoding: 'utf8' });
  return result.status === 0 ? `${result.stdout}${result.stderr}`.trim().split('\n')[0] : null;
}

describe('the backend examples against a running Messenger Vault', { timeout: 600_000 }, () => {
  let app;
  let tenant;
  let scratch;

  before(async () => {
    app = await startApp();
    const api = await signInToApi(app.baseUrl, STAFF);
    const created = await api('POST', '/api/tenants', { name: 'Examples' });
    const appId = `ex${randomBytes(3).toString('hex')}`;
    await api('PUT', `/api/tenants/${created.id}/intercom/app-id`, { appId });
    const secret = `sk_${randomBytes(24).toString('base64url')}`;
    await api('PUT', `/api/tenants/${created.id}/intercom/secret`, { secret });
    await api('PATCH', `/api/tenants/${created.id}/intercom/settings`, { tokenTtlSeconds: TTL_SECONDS });
    const key = await api('POST', `/api/tenants/${created.id}/api-keys`, { name: 'examples' });
    tenant = { id: created.id, appId, secret, apiKey: key.key };
    scratch = mkdtempSync(join(tmpdir(), 'mv-examples-'));
  });

  after(async () => {
    await app?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  function runExample(language, apiKey, args) {
    const began = performance.now();
    const result = spawnSync(language.run[0], [...language.run.slice(1), ...args], {
      cwd: join(examples, language.dir),
      encoding: 'utf8',
      timeout: 180_000,
      env: {
        ...process.env,
        MESSENGER_VAULT_URL: app.baseUrl,
        MESSENGER_VAULT_API_KEY: apiKey,
        // Build caches out of the tree (and out of the way of other runs).
        GOCACHE: join(scratch, 'go-cache'),
        DOTNET_CLI_TELEMETRY_OPTOUT: '1',
        DOTNET_NOLOGO: '1',
      },
    });
    return { ...result, ms: Math.round(performance.now() - began) };
  }

  for (const language of LANGUAGES) {
    test(`${language.name}: the example gets a token that verifies, and shows the API's error code`, (t) => {
      const version = available(language);
      if (!version) {
        const missing = `${language.probe[0]} is not installed`;
        assert.ok(!(process.env.CI && language.debian), `${missing}; .ci/run must install Debian's ${language.debian}`);
        const how = language.debian ? `apt-get install ${language.debian}` : 'the .NET 8 SDK is not in Debian';
        process.stdout.write(`# SKIPPED ${language.name}: ${missing} (${how})\n`);
        return t.skip(`${missing} (${how})`);
      }

      const userId = `user-${language.dir}-${randomBytes(2).toString('hex')}`;
      const email = `${language.dir}@example.com`;
      const ok = runExample(language, tenant.apiKey, [userId, email]);
      assert.equal(ok.status, 0, `${language.name} exited ${ok.status}:\n${ok.stdout}\n${ok.stderr}`);
      const answer = JSON.parse(ok.stdout);
      assert.equal(answer.app_id, tenant.appId);
      const claims = jwt.verify(answer.token, tenant.secret, { algorithms: ['HS256'] });
      assert.equal(claims.user_id, userId);
      assert.equal(claims.email, email);
      assert.equal(claims.exp - claims.iat, TTL_SECONDS);
      assert.equal(new Date(answer.expires_at).getTime(), claims.exp * 1000);

      const refused = runExample(language, `mvk_wrong_${randomBytes(16).toString('hex')}`, [userId]);
      assert.notEqual(refused.status, 0, `${language.name} must fail with a wrong API key:\n${refused.stdout}`);
      assert.match(refused.stderr, /answered 401 unauthenticated: \S/);
      assert.equal(refused.stdout.trim(), '');
      t.diagnostic(`${version}: token in ${ok.ms} ms, refusal in ${refused.ms} ms`);
      process.stdout.write(`# ${language.name} (${version}): token in ${ok.ms} ms, refusal in ${refused.ms} ms\n`);
    });
  }
});
