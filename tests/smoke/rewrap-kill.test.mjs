// `vault:rewrap` killed half way with SIGKILL, run again: nothing is lost, and the old master key
// can then leave the keyring. Real processes, a real embedded PostgreSQL, a real kill.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { cli, dataDir, randomPort, session, start } from './support.mjs';

const key = (id) => `${id}:${randomBytes(32).toString('base64')}`;
const OLD = key('k-old');
const NEW = key('k-new');
const TENANTS = 40;
const VERSIONS = 5;

function verifyHs256(token, secret) {
  const [h, p, s] = token.split('.');
  return createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url') === s;
}

test('a rewrap killed half way and run again loses nothing; afterwards the old key can go', async () => {
  const dir = dataDir('mv-rewrap-');
  const base = {
    DATA_DIR: dir,
    EMBEDDED_PG_PORT: String(randomPort(47000)),
    ADMIN_EMAIL: 'ops@example.com',
    ADMIN_PASSWORD: 'ops-password-123',
  };
  const port = String(randomPort(37000));
  const url = `http://localhost:${port}`;

  // 1. Secrets saved under the old master key.
  const first = start({ ...base, PORT: port, VAULT_KEYRING: OLD });
  await first.ready;
  const saved = [];
  try {
    const staff = await session(url, base.ADMIN_EMAIL, base.ADMIN_PASSWORD);
    for (let i = 0; i < TENANTS; i++) {
      const tenant = (await staff.call('POST', '/api/tenants', { name: `Rewrap ${i}` })).body;
      assert.equal(
        (await staff.call('PUT', `/api/tenants/${tenant.id}/intercom/app-id`, { appId: `rw${i}abc` })).status,
        200,
      );
      let secret;
      for (let v = 0; v < VERSIONS; v++) {
        secret = `sk_${randomBytes(16).toString('hex')}`;
        assert.equal((await staff.call('PUT', `/api/tenants/${tenant.id}/intercom/secret`, { secret })).status, 201);
      }
      saved.push({ tenantId: tenant.id, secret });
    }
  } finally {
    assert.equal((await first.stop()).code, 0);
  }

  // 2. Rewrap in small batches, killed with SIGKILL once a few batches have committed.
  const env = { ...base, VAULT_KEYRING: `${NEW},${OLD}` };
  const killed = cli(['vault:rewrap', '--batch-size', '10'], env);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no progress:\n${killed.output()}`)), 120_000);
    killed.child.stdout.on('data', () => {
      if (/rewrap: (3\d|4\d|5\d)\/200/.test(killed.output())) {
        clearTimeout(timer);
        killed.child.kill('SIGKILL');
        resolve();
      }
    });
  });
  assert.equal((await killed.exited).signal, 'SIGKILL');

  // 3. Run again: it finishes what is left.
  const again = cli(['vault:rewrap', '--batch-size', '10'], env);
  const { code } = await again.exited;
  assert.equal(code, 0, again.output());
  const moved = Number(/Re-wrapped (\d+) secret version/.exec(again.output())?.[1]);
  assert.ok(moved > 0 && moved < TENANTS * VERSIONS, `the second run moved only what was left (${moved})`);
  const status = cli(['vault:status'], env);
  assert.equal((await status.exited).code, 0);
  assert.match(status.output(), new RegExp(`k-new\\s+${TENANTS * VERSIONS}\\s+active`));

  // 4. The old key leaves the keyring; the API starts and every tenant's newest secret signs.
  const last = start({ ...base, PORT: port, VAULT_KEYRING: NEW });
  await last.ready;
  try {
    const staff = await session(url, base.ADMIN_EMAIL, base.ADMIN_PASSWORD);
    for (const { tenantId, secret } of saved) {
      const res = await staff.call('POST', `/api/tenants/${tenantId}/intercom/test-token`, {
        user_id: 'u-1',
        platform: 'web',
      });
      assert.equal(res.status, 200);
      assert.ok(verifyHs256(res.body.token, secret), `tenant ${tenantId} signs with its own, intact secret`);
    }
  } finally {
    assert.equal((await last.stop()).code, 0);
    // The killed CLI's PostgreSQL was adopted by the second run and stopped by the app; make sure.
    spawnSync('pkill', ['-f', dir]);
  }
});
