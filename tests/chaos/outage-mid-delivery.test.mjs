// PostgreSQL killed while reminder webhooks are in flight: the sender knows what it sent and
// waits for the database to record it, so nothing is sent twice and nothing is lost.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { query, signIn, sleep, startApi, startPostgres, startReceiver, waitUntil } from './support.mjs';

const TENANTS = 10;
const RECEIVER_DELAY_MS = 3_000;

test(
  'PostgreSQL killed with reminder webhooks in flight: after it is back each is recorded as delivered, none sent twice',
  { timeout: 90_000 },
  async () => {
    const db = await startPostgres();
    const receiver = await startReceiver(RECEIVER_DELAY_MS);
    const { byId } = receiver;
    const api = startApi(db.url, { REMINDER_CRON: '*/2 * * * * *' });
    try {
      await api.ready;
      const call = await signIn(api.base);
      const tenantIds = [];
      for (let i = 0; i < TENANTS; i++) {
        const t = await call('POST', '/api/tenants', { name: `Outage ${randomBytes(3).toString('hex')}` });
        const secret = `sk_${randomBytes(24).toString('base64url')}`;
        assert.equal((await call('PUT', `/api/tenants/${t.body.id}/intercom/secret`, { secret })).status, 201);
        const hook = await call('PUT', `/api/tenants/${t.body.id}/webhook`, { url: receiver.url });
        assert.ok(hook.status === 200 || hook.status === 201, `webhook: ${JSON.stringify(hook.body)}`);
        tenantIds.push(t.body.id);
      }
      await query(
        db.url,
        `UPDATE secret_versions SET created_at = now() - interval '100 days' WHERE tenant_id = ANY($1::uuid[])`,
        [tenantIds],
      );
      await waitUntil(() => receiver.firstAt() !== null, { timeoutMs: 15_000, what: 'the first webhook' });
      await sleep(300);
      db.signal('SIGKILL');
      // The receiver answers while the database is away; the outcomes must wait for it.
      await sleep(RECEIVER_DELAY_MS + 1_000);
      await db.restart();
      const backAt = Date.now();
      const recordedMs = await waitUntil(
        async () => {
          const [row] = await query(
            db.url,
            `SELECT count(*)::int AS n FROM notification_outbox WHERE tenant_id = ANY($1::uuid[]) AND state = 'delivered'`,
            [tenantIds],
          );
          return row.n === TENANTS;
        },
        { timeoutMs: 30_000, everyMs: 250, what: 'every reminder recorded as delivered' },
      );
      const [attempts] = await query(
        db.url,
        `SELECT count(*)::int AS recorded, count(*) FILTER (WHERE d.outcome = 'delivered')::int AS delivered,
                (SELECT sum(attempts)::int FROM notification_outbox WHERE tenant_id = ANY($1::uuid[])) AS claimed
           FROM notification_delivery_attempts d JOIN notification_outbox o ON o.id = d.outbox_id
          WHERE o.tenant_id = ANY($1::uuid[])`,
        [tenantIds],
      );
      const wire = [...byId.values()].reduce((s, n) => s + n, 0);
      console.log(
        `# outage-mid-delivery: ${byId.size} reminders in ${wire} webhook requests; all recorded as delivered ` +
          `${(recordedMs / 1000).toFixed(1)} s after PostgreSQL was back; attempts claimed ${attempts.claimed}, recorded ${attempts.recorded}`,
      );
      assert.equal(byId.size, TENANTS, 'every reminder reached the receiver');
      assert.equal(wire, TENANTS, 'none was sent twice');
      assert.deepEqual(attempts, { recorded: TENANTS, delivered: TENANTS, claimed: TENANTS });
      assert.ok(Date.now() - backAt < 30_000);
    } finally {
      await api.stop();
      await receiver.close();
      await db.stop();
    }
  },
);
