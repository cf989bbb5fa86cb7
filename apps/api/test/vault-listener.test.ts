import { randomBytes } from 'node:crypto';
import { ChangeBus } from '../src/core/change-bus.service';
import { SigningKeyService } from '../src/vault/signing-key.service';
import { freshDatabase, FreshDatabase } from './fresh-database';
import { startTestApp, TestApp } from './harness';
import { notificationsDelivered } from './vault-notifications';

// A database of its own: the test cuts every change-bus listener connection in it.
let db: FreshDatabase;
let t: TestApp;
beforeAll(async () => {
  db = await freshDatabase();
  t = await startTestApp({ DATABASE_URL: db.url, VAULT_CACHE_TTL_SECONDS: '3600' });
});
afterAll(async () => {
  await t.close();
  await db.drop();
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('when the LISTEN connection drops, the cache is forgotten and notifications work again after reconnecting', async () => {
  const tenant = await t.newTenant();
  const staff = await t.staff();
  const first = `sk_${randomBytes(20).toString('hex')}`;
  await staff.put(`/api/tenants/${tenant.id}/intercom/secret`, { secret: first });
  await staff.put(`/api/tenants/${tenant.id}/intercom/secret`, { secret: `sk_${randomBytes(20).toString('hex')}` });
  const keys = t.app.get(SigningKeyService);
  const listener = t.app.get(ChangeBus);
  await notificationsDelivered(t);
  expect((await keys.signingKey(tenant.id, 'web')).version).toBe(2);

  await t.db.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'messenger-vault:listen' AND datname = current_database()`,
  );
  await waitFor(() => !listener.listening);
  // A change made while nobody listens: no notification will ever arrive for it.
  await t.db.query(
    `UPDATE secret_versions SET state = CASE version WHEN 2 THEN 'retired' ELSE 'active' END,
            retired_at = CASE version WHEN 2 THEN now() END
      WHERE tenant_id = $1`,
    [tenant.id],
  );
  await waitFor(() => listener.listening);
  expect((await keys.signingKey(tenant.id, 'web')).secret.reveal()).toBe(first);

  // And the new connection hears changes again.
  const third = `sk_${randomBytes(20).toString('hex')}`;
  await staff.put(`/api/tenants/${tenant.id}/intercom/secret`, { secret: third });
  await notificationsDelivered(t);
  expect((await keys.signingKey(tenant.id, 'web')).secret.reveal()).toBe(third);
  await t.db.query(`UPDATE secret_versions SET state = 'previous' WHERE tenant_id = $1 AND version = 3`, [tenant.id]);
  await t.db.query(`UPDATE secret_versions SET state = 'active' WHERE tenant_id = $1 AND version = 1`, [tenant.id]);
  expect((await keys.signingKey(tenant.id, 'web')).version).toBe(3);
  await t.db.query(`SELECT pg_notify('mv_changes', 'secret:' || $1)`, [tenant.id]);
  await waitFor(async () => (await keys.signingKey(tenant.id, 'web')).version === 1);
});
