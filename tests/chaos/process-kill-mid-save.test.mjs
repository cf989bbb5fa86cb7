// The API killed with SIGKILL while it saves secrets: every save happened wholly (version, sealed
// secret, audit event, version counter) or not at all, and every acknowledged save is there.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { session } from '../smoke/support.mjs';
import { appEnv, cleanup, launch, root, sleep } from './process-support.mjs';

const { Client } = createRequire(join(root, 'apps/api/package.json'))('pg');
const CONCURRENCY = 8;

function verifyHs256(token, secret) {
  const [h, p, s] = token.split('.');
  return createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url') === s;
}

test(
  'SIGKILL of the API in the middle of saving secrets: each save is whole or absent',
  { timeout: 60_000 },
  async () => {
    const { dir, env, base } = appEnv('mv-chaos-midsave-');
    let app = launch(env, { direct: true });
    try {
      await app.ready;
      const staff = await session(base, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
      const tenant = (await staff.call('POST', '/api/tenants', { name: 'Kill mid-save' })).body;
      assert.equal(
        (await staff.call('PUT', `/api/tenants/${tenant.id}/intercom/app-id`, { appId: 'kms123' })).status,
        200,
      );

      // Saves in flight from several connections at once; the last 4 characters tell them apart.
      const sent = new Map(); // last4 -> secret
      const acknowledged = new Map(); // last4 -> version
      let n = 0;
      let killed = false;
      const worker = async () => {
        while (!killed) {
          const secret = `sk_${randomBytes(12).toString('hex')}${String(n++).padStart(4, '0')}`;
          sent.set(secret.slice(-4), secret);
          const res = await staff
            .call('PUT', `/api/tenants/${tenant.id}/intercom/secret`, { secret })
            .catch(() => null);
          if (res?.status === 201) acknowledged.set(secret.slice(-4), res.body.version);
        }
      };
      const workers = Array.from({ length: CONCURRENCY }, worker);
      while (acknowledged.size < 20) await sleep(5);
      app.child.kill('SIGKILL');
      killed = true;
      await Promise.all(workers);
      await app.exited;

      app = launch(env, { direct: true });
      await app.ready;
      const db = new Client({
        connectionString: `postgres://postgres:embedded@localhost:${env.EMBEDDED_PG_PORT}/messenger_vault`,
      });
      await db.connect();
      try {
        const versions = (
          await db.query(`SELECT version, last4 FROM secret_versions WHERE tenant_id = $1 ORDER BY version`, [
            tenant.id,
          ])
        ).rows;
        const [{ last_version: last }] = (
          await db.query(`SELECT last_version FROM vault_secrets WHERE tenant_id = $1`, [tenant.id])
        ).rows;
        const audited = (
          await db.query(
            `SELECT (metadata->>'version')::int AS version FROM audit_events
            WHERE tenant_id = $1 AND action = 'intercom.secret.saved' ORDER BY 1`,
            [tenant.id],
          )
        ).rows.map((r) => r.version);

        const inFlight = sent.size - acknowledged.size;
        const committedUnacknowledged = versions.filter((v) => !acknowledged.has(v.last4)).length;
        console.log(
          `# ${sent.size} saves sent, ${acknowledged.size} acknowledged, ${inFlight} in flight at the kill: ` +
            `${committedUnacknowledged} of those committed whole, ${inFlight - committedUnacknowledged} left no trace`,
        );
        assert.deepEqual(
          versions.map((v) => v.version),
          Array.from({ length: versions.length }, (_, i) => i + 1),
          'versions have no gap',
        );
        assert.equal(last, versions.length, 'the version counter moved only with committed versions');
        assert.deepEqual(
          audited,
          versions.map((v) => v.version),
          'one audit event per committed version, and none more',
        );
        for (const [last4, version] of acknowledged)
          assert.equal(
            versions.find((v) => v.last4 === last4)?.version,
            version,
            `acknowledged save ${last4} is there`,
          );
        for (const v of versions) assert.ok(sent.has(v.last4), 'every stored version is one that was sent');
      } finally {
        await db.end();
      }

      // The newest version opens and signs: its ciphertext, data key and master key id are intact.
      const newest = Math.max(...acknowledged.values());
      const staffAgain = await session(base, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
      const setup = (await staffAgain.call('GET', `/api/tenants/${tenant.id}/intercom`)).body;
      const top = setup.secrets.reduce((a, b) => (a.version > b.version ? a : b));
      assert.ok(top.version >= newest);
      const token = await staffAgain.call('POST', `/api/tenants/${tenant.id}/intercom/test-token`, {
        user_id: 'u-1',
        platform: 'web',
      });
      assert.equal(token.status, 200);
      assert.ok(verifyHs256(token.body.token, sent.get(top.last4)), 'the newest version signs with its own secret');
      assert.deepEqual((await staffAgain.call('GET', '/api/audit/verify')).body.valid, true, 'the audit chain holds');
      app.child.kill('SIGTERM');
      assert.equal((await app.exited).code, 0);
    } finally {
      await cleanup(app, dir);
    }
  },
);
