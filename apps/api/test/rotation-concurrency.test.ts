import { SchedulerRegistry } from '@nestjs/schedule';
import { createHash } from 'node:crypto';
import { DELIVERY_INTERVAL, REMINDER_CRON_JOB } from '../src/rotation/reminder-scheduler';
import { freshDatabase, FreshDatabase } from './fresh-database';
import { startTestApp, TEST_KEYRING, TestApp } from './harness';
import { DAY, HookReceiver, runnerOf, startHookReceiver, tenantWithSecret, verifySignature } from './rotation-fixtures';

/**
 * These tests run the job over every tenant, as the cron does, so they get a database of their
 * own: in the shared one they would remind other test files' tenants.
 */
let db: FreshDatabase;
let receiver: HookReceiver;
const apps: TestApp[] = [];
const start = async (env: Record<string, string> = {}) => {
  const app = await startTestApp({ DATABASE_URL: db.url, ...env });
  apps.push(app);
  return app;
};

beforeAll(async () => {
  db = await freshDatabase();
  receiver = await startHookReceiver();
});
afterAll(async () => {
  for (const app of apps.reverse()) await app.close().catch(() => undefined);
  await receiver.close();
  await db.drop();
});

test('two replicas running the job at once record and deliver each reminder exactly once', async () => {
  const [a, b] = [await start(), await start()];
  const tenants = await Promise.all(Array.from({ length: 4 }, () => tenantWithSecret(a)));
  const secrets = new Map<string, string>();
  for (const s of tenants.slice(0, 2)) {
    const res = await s.admin.put(`/api/tenants/${s.tenantId}/webhook`, { url: receiver.url });
    secrets.set(s.tenantId, res.body.signingSecret);
  }
  const at = new Date(tenants[3]!.createdAt.getTime() + 100 * DAY);

  const reports = await Promise.all([
    runnerOf(a).run({ at }),
    runnerOf(b).run({ at }),
    runnerOf(a).run({ at }),
    runnerOf(b).run({ at }),
  ]);
  expect(reports.flatMap((r) => r.recorded)).toHaveLength(4);
  const rows = await a.db.query(`SELECT tenant_id, stage, occurrence FROM rotation_notifications`);
  expect(rows).toHaveLength(4);
  expect(new Set(rows.map((r: { tenant_id: string }) => r.tenant_id))).toEqual(new Set(tenants.map((s) => s.tenantId)));
  expect(rows.every((r: { stage: string; occurrence: number }) => r.stage === 'overdue' && r.occurrence === 1)).toBe(
    true,
  );

  // Both replicas work the outbox at once, now and after any retry would be due: one POST per reminder.
  await Promise.all([runnerOf(a).deliverDue({ now: new Date(Date.now() + DAY) }), runnerOf(b).deliverDue()]);
  expect(receiver.received).toHaveLength(2);
  for (const hook of receiver.received) {
    const tenantId = JSON.parse(hook.body).data.tenantId as string;
    expect(verifySignature(secrets.get(tenantId)!, hook)).toBe(true);
  }
  expect(new Set(receiver.received.map((h) => JSON.parse(h.body).id)).size).toBe(2);
  const attempts = await a.db.query(`SELECT outcome FROM notification_delivery_attempts`);
  expect(attempts).toEqual([{ outcome: 'delivered' }, { outcome: 'delivered' }]);
});

describe('the schedule', () => {
  test('tests never start it; REMINDER_CRON=off never starts it', async () => {
    for (const app of [await start(), await start({ NODE_ENV: 'development', REMINDER_CRON: 'off' })]) {
      const registry = app.app.get(SchedulerRegistry);
      expect(registry.doesExist('cron', REMINDER_CRON_JOB)).toBe(false);
      expect(registry.doesExist('interval', DELIVERY_INTERVAL)).toBe(false);
    }
  });

  // Master key rotation of webhook secrets is vault:rewrap's job (the vault's sealed-column
  // registry, decision 0025): the reminder job leaves them where they are and still signs.
  test('elsewhere the job runs on REMINDER_CRON: it records reminders and delivers, leaving webhook secrets to vault:rewrap', async () => {
    const a = await start();
    const s = await tenantWithSecret(a);
    const hook = await s.admin.put(`/api/tenants/${s.tenantId}/webhook`, { url: receiver.url });
    await a.db.query(`UPDATE secret_versions SET created_at = now() - interval '80 days' WHERE tenant_id = $1`, [
      s.tenantId,
    ]);
    // A master key rotation: a new active key, the old one kept behind it.
    const k2 = `test-k2:${createHash('sha256').update('rotation test k2').digest('base64')}`;
    const every = await start({
      NODE_ENV: 'development',
      REMINDER_CRON: '* * * * * *',
      VAULT_KEYRING: `${k2},${TEST_KEYRING}`,
    });
    const registry = every.app.get(SchedulerRegistry);
    expect(registry.getCronJob(REMINDER_CRON_JOB).cronTime.source).toBe('* * * * * *');
    expect(registry.doesExist('interval', DELIVERY_INTERVAL)).toBe(true);

    const before = receiver.received.length;
    const deadline = Date.now() + 10_000;
    let state: { master_key_id: string; reminded: number } | undefined;
    while (Date.now() < deadline) {
      [state] = await a.db.query(
        `SELECT (SELECT master_key_id FROM webhook_endpoints WHERE tenant_id = $1) AS master_key_id,
                (SELECT count(*)::int FROM rotation_notifications WHERE tenant_id = $1) AS reminded`,
        [s.tenantId],
      );
      if (state!.reminded === 1 && receiver.received.length > before) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toEqual({ master_key_id: 'test-k1', reminded: 1 });
    // Under the older key, still in the keyring, the secret opens and the delivery verifies.
    const delivered = receiver.received.slice(before).find((h) => JSON.parse(h.body).data.tenantId === s.tenantId);
    expect(delivered && verifySignature(hook.body.signingSecret, delivered)).toBe(true);

    await every.close();
    apps.splice(apps.indexOf(every), 1);
    expect(registry.doesExist('cron', REMINDER_CRON_JOB)).toBe(false);
    expect(registry.doesExist('interval', DELIVERY_INTERVAL)).toBe(false);
  });
});
