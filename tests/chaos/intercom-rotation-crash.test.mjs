// The API SIGKILLed at every state boundary of an automated Intercom secret rotation, then
// started again: every run ends `done` with exactly one new live secret in Intercom (the
// stand-in), the old one deleted, tokens verifying under the new secret, and no secret
// duplicated or lost. The kill comes from the API itself at the named point (TEST_CRASH_POINTS,
// honoured only with NODE_ENV=test), so it lands exactly on the boundary.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { session } from '../smoke/support.mjs';
import { IntercomStandIn } from '../e2e/support/intercom-stand-in.mjs';
import { appEnv, cleanup, launch, root, sleep } from './process-support.mjs';

const { Client } = createRequire(join(root, 'apps/api/package.json'))('pg');

/** One connection per query: each start of the API restarts the embedded PostgreSQL under it. */
async function query(port, sql, params = []) {
  const db = new Client({ connectionString: `postgres://postgres:embedded@localhost:${port}/messenger_vault` });
  db.on('error', () => undefined);
  await db.connect();
  try {
    return (await db.query(sql, params)).rows;
  } finally {
    await db.end().catch(() => undefined);
  }
}

const POINTS = ['after_create', 'after_store', 'overlapping', 'during_delete'];

function verifyHs256(token, secret) {
  const [h, p, s] = token.split('.');
  return createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url') === s;
}

async function waitFor(check, what, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

test(
  'SIGKILL at every rotation state boundary: each run resumes to done, one new secret, the old deleted, nothing lost',
  { timeout: 300_000 },
  async () => {
    const intercom = new IntercomStandIn();
    await intercom.start();
    const { dir, env, base } = appEnv('mv-chaos-rotation-', {
      NODE_ENV: 'test',
      INTERCOM_API_URL: intercom.url,
      INTERCOM_TIMEOUT_MS: '2000',
      INTERCOM_ROTATION_POLL_MS: '500',
      INTERCOM_ROTATION_RETRY_MS: '100',
    });
    const results = [];
    let app;
    const db = { query: async (sql, params) => ({ rows: await query(env.EMBEDDED_PG_PORT, sql, params) }) };
    try {
      for (const point of POINTS) {
        app = launch({ ...env, TEST_CRASH_POINTS: point }, { direct: true });
        await app.ready;
        const staff = await session(base, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
        const tenant = (await staff.call('POST', '/api/tenants', { name: `Crash ${point}` })).body;
        const path = `/api/tenants/${tenant.id}/intercom`;
        const ws = {
          id_code: `crash${randomBytes(3).toString('hex')}`,
          name: `Crash ${point}`,
          region: 'US',
          identity_verification: true,
        };
        assert.equal((await staff.call('PUT', `${path}/app-id`, { appId: ws.id_code })).status, 200);
        const oldValue = randomBytes(32).toString('hex');
        const old = intercom.addSecret(ws.id_code, {
          name: 'Pasted by hand',
          supports_web: true,
          supports_ios: true,
          supports_android: true,
          secret: oldValue,
        });
        assert.equal((await staff.call('PUT', `${path}/secret`, { secret: oldValue })).status, 201);
        await db.query(`UPDATE secret_versions SET intercom_secret_id = $2 WHERE tenant_id = $1`, [tenant.id, old.id]);
        assert.equal((await staff.call('PUT', `${path}/connection`, { accessToken: intercom.issue(ws) })).status, 200);
        const before = (await staff.call('POST', `${path}/test-token`, { user_id: 'u-1', platform: 'web' })).body;
        assert.ok(verifyHs256(before.token, oldValue));

        const started = await staff.call('POST', `${path}/rotations`, {});
        assert.equal(started.status, 202);
        const id = started.body.id;
        // Ends the overlap as soon as it starts, so each run reaches every boundary without waiting an hour.
        await staff.call('POST', `${path}/rotations/${id}/finish`, {}).catch(() => null);
        const exit = await Promise.race([app.exited, sleep(30_000).then(() => null)]);
        assert.deepEqual(
          exit,
          { code: null, signal: 'SIGKILL' },
          `the API was not killed at ${point}:\n${app.output()}`,
        );
        const stateAtKill = new RegExp(`killing this process at ${point} \\(rotation ${id}, state (\\w+)\\)`).exec(
          app.output(),
        )?.[1];

        app = launch(env, { direct: true });
        await app.ready;
        const again = await session(base, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
        await again.call('POST', `${path}/rotations/${id}/finish`, {});
        const done = await waitFor(async () => {
          const r = await again.call('GET', `${path}/rotations/${id}`);
          return r.body.state === 'done' || r.body.state === 'failed' ? r.body : null;
        }, `rotation after the kill at ${point}`);
        assert.equal(done.state, 'done', `${point}: ${JSON.stringify(done)}`);

        const live = intercom.liveSecrets(ws.id_code);
        assert.equal(live.length, 1, `${point}: one live secret, got ${live.map((s) => s.name).join(', ')}`);
        const [created] = live;
        assert.ok(created.name.includes(id));
        assert.equal(created.id, done.items[0].newIntercomSecretId);
        assert.ok(
          intercom.deleted.some((d) => d.secret.id === old.id),
          `${point}: the old secret is deleted`,
        );
        const orphans = intercom.deleted.filter((d) => d.secret.name.includes(id));
        const versions = (
          await db.query(
            `SELECT version, state, intercom_secret_id FROM secret_versions WHERE tenant_id = $1 ORDER BY version`,
            [tenant.id],
          )
        ).rows;
        assert.deepEqual(
          versions.map((v) => [v.state, v.intercom_secret_id]),
          [
            ['retired', old.id],
            ['active', created.id],
          ],
          `${point}: exactly the old (retired) and one new (active, linked) version`,
        );
        const after = (await again.call('POST', `${path}/test-token`, { user_id: 'u-1', platform: 'web' })).body;
        assert.ok(verifyHs256(after.token, created.secret), `${point}: tokens verify under the new secret`);
        assert.ok(!verifyHs256(after.token, oldValue));
        const events = (
          await db.query(`SELECT stage FROM rotation_notifications WHERE rotation_id = $1 ORDER BY created_at`, [id])
        ).rows.map((r) => r.stage);
        assert.deepEqual(events, ['rotation_started', 'rotated'], `${point}: each event once`);
        results.push({
          point,
          stateAtKill,
          orphansDeleted: orphans.length,
          live: live.length,
          versions: versions.length,
        });

        app.child.kill('SIGTERM');
        await app.exited;
      }
    } finally {
      await cleanup(app, dir);
      await intercom.stop();
    }
    process.stdout.write(`# crash points: ${JSON.stringify(results)}\n`);
    assert.deepEqual(
      results.map((r) => [r.point, r.stateAtKill, r.orphansDeleted]),
      [
        ['after_create', 'creating', 1],
        ['after_store', 'creating', 0],
        ['overlapping', 'overlapping', 0],
        ['during_delete', 'deleting_old', 0],
      ],
    );
  },
);
