// An operator's backup and restore: `db:backup` while the app runs, `db:restore` into a new, empty
// embedded database, and the tenant's existing API key still gets tokens signed with its secret.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, dataDir, randomPort, session, start } from './support.mjs';

const KEYRING = `k1:${randomBytes(32).toString('base64')}`;

function verifyHs256(token, secret) {
  const [h, p, s] = token.split('.');
  return createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url') === s;
}

async function token(base, apiKey) {
  const res = await fetch(`${base}/v1/intercom/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ user_id: '42', platform: 'web' }),
  });
  return { status: res.status, body: await res.json() };
}

// CI installs pg_dump/pg_restore (.ci/run); a developer machine without them skips this, loudly.
const hasTools = spawnSync('pg_dump', ['--version']).status === 0;
const skip =
  hasTools || process.env.CI ? false : 'pg_dump is not on PATH (apt-get install postgresql-client-15 to run it)';

test(
  'a backup taken while the app runs, restored into an empty database, serves the existing API key',
  { skip },
  async () => {
    const common = { VAULT_KEYRING: KEYRING, ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'ops-password-123' };
    const port = String(randomPort(38000));
    const base = `http://localhost:${port}`;
    const before = { ...common, DATA_DIR: dataDir('mv-backup-a-'), EMBEDDED_PG_PORT: String(randomPort(48000)) };
    const after = { ...common, DATA_DIR: dataDir('mv-backup-b-'), EMBEDDED_PG_PORT: String(randomPort(43000)) };
    const file = join(dataDir('mv-backup-file-'), 'vault.dump');

    const first = start({ ...before, PORT: port });
    await first.ready;
    let apiKey;
    const secret = `sk_${randomBytes(16).toString('hex')}`;
    try {
      const staff = await session(base, common.ADMIN_EMAIL, common.ADMIN_PASSWORD);
      const tenant = (await staff.call('POST', '/api/tenants', { name: 'Backed up' })).body;
      assert.equal(
        (await staff.call('PUT', `/api/tenants/${tenant.id}/intercom/app-id`, { appId: 'bak123' })).status,
        200,
      );
      assert.equal((await staff.call('PUT', `/api/tenants/${tenant.id}/intercom/secret`, { secret })).status, 201);
      const key = await staff.call('POST', `/api/tenants/${tenant.id}/api-keys`, { name: 'backend' });
      assert.equal(key.status, 201);
      apiKey = key.body.key;
      assert.equal((await token(base, apiKey)).status, 200);

      // Online: the CLI uses the running app's PostgreSQL.
      const backup = cli(['db:backup', '--out', file], before);
      assert.equal((await backup.exited).code, 0, backup.output());
      assert.match(backup.output(), /back up the master keyring separately/);
      assert.equal(statSync(file).mode & 0o777, 0o600);
    } finally {
      assert.equal((await first.stop()).code, 0);
    }

    const restore = cli(['db:restore', '--in', file], after);
    assert.equal((await restore.exited).code, 0, restore.output());
    assert.match(restore.output(), /Restored .* into database "messenger_vault"/);
    const again = cli(['db:restore', '--in', file], after);
    assert.equal((await again.exited).code, 1);
    assert.match(again.output(), /is not empty/);

    const restored = start({ ...after, PORT: port });
    await restored.ready;
    try {
      const issued = await token(base, apiKey);
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      assert.ok(verifyHs256(issued.body.token, secret), 'signed with the secret saved before the backup');
    } finally {
      assert.equal((await restored.stop()).code, 0);
    }
  },
);
