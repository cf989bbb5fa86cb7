// Two API replicas on one database; one is SIGKILLed under token load in the middle of a
// reminder run. The other keeps serving and finishes the run: every reminder recorded once and
// delivered once (a receiver dropping repeated event ids sees each exactly once).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  connectedTenant,
  query,
  signIn,
  sleep,
  startApi,
  startPostgres,
  startReceiver,
  statusCounts,
  token,
  tokenLoad,
  waitUntil,
} from './support.mjs';

const TENANTS = 30;
const RECEIVER_DELAY_MS = 800;

test(
  'a replica SIGKILLed mid-load and mid-reminder-run: the other serves, finishes the run, each reminder delivered once',
  { timeout: 120_000 },
  async () => {
    const db = await startPostgres();
    const receiver = await startReceiver(RECEIVER_DELAY_MS);
    // One replica scans at a time (the leader lock, docs/decisions/0037): A ticks on seconds
    // 0, 3, 6..., B one second later, and the secrets age just before an A tick, so A leads the
    // run and is killed with deliveries in flight; B then takes the lock on its next tick.
    const a = startApi(db.url, { REMINDER_CRON: '*/3 * * * * *' });
    let b;
    try {
      await a.ready;
      b = startApi(db.url, { REMINDER_CRON: '1-59/3 * * * * *' });
      await b.ready;
      const call = await signIn(a.base);
      const issuer = await connectedTenant(call);
      const tenantIds = [];
      for (let i = 0; i < TENANTS; i++) {
        const t = await call('POST', '/api/tenants', { name: `Reminded ${randomBytes(3).toString('hex')}` });
        const secret = `sk_${randomBytes(24).toString('base64url')}`;
        assert.equal((await call('PUT', `/api/tenants/${t.body.id}/intercom/secret`, { secret })).status, 201);
        const hook = await call('PUT', `/api/tenants/${t.body.id}/webhook`, { url: receiver.url });
        assert.ok(hook.status === 200 || hook.status === 201, `webhook: ${JSON.stringify(hook.body)}`);
        tenantIds.push(t.body.id);
      }
      for (const base of [a.base, b.base]) assert.equal((await token(base, issuer.apiKey)).status, 200, 'warm-up');

      const load = tokenLoad([a.base, b.base], [issuer.apiKey], { concurrency: 4, pauseMs: 10 });
      while (Date.now() % 3000 < 2100 || Date.now() % 3000 > 2600) await sleep(50);
      // Every secret is 100 days old from now on: each tenant owes one "overdue" reminder.
      await query(
        db.url,
        `UPDATE secret_versions SET created_at = now() - interval '100 days' WHERE tenant_id = ANY($1::uuid[])`,
        [tenantIds],
      );
      await waitUntil(() => receiver.firstAt() !== null, { timeoutMs: 15_000, what: 'the first webhook' });
      await sleep(200);
      a.child.kill('SIGKILL');
      const killedAt = Date.now();
      await a.exited;

      const deliveredMs = await waitUntil(
        async () => {
          const [row] = await query(
            db.url,
            `SELECT count(*)::int AS n FROM notification_outbox WHERE tenant_id = ANY($1::uuid[]) AND state = 'delivered'`,
            [tenantIds],
          );
          return row.n === TENANTS;
        },
        { timeoutMs: 45_000, everyMs: 500, what: 'every reminder delivered' },
      );
      const results = await load.stop();

      const notifications = await query(
        db.url,
        `SELECT n.id, count(o.id)::int AS outbox, count(*) FILTER (WHERE o.state = 'delivered')::int AS delivered
         FROM rotation_notifications n LEFT JOIN notification_outbox o ON o.notification_id = n.id
        WHERE n.tenant_id = ANY($1::uuid[]) GROUP BY n.id`,
        [tenantIds],
      );
      const [attempts] = await query(
        db.url,
        `SELECT coalesce(sum(o.attempts), 0)::int AS claimed,
              (SELECT count(*)::int FROM notification_delivery_attempts d JOIN notification_outbox o2 ON o2.id = d.outbox_id
                WHERE o2.tenant_id = ANY($1::uuid[])) AS recorded,
              (SELECT count(*)::int FROM notification_delivery_attempts d JOIN notification_outbox o2 ON o2.id = d.outbox_id
                WHERE o2.tenant_id = ANY($1::uuid[]) AND d.outcome = 'delivered') AS delivered
         FROM notification_outbox o WHERE o.tenant_id = ANY($1::uuid[])`,
        [tenantIds],
      );
      const abandoned = attempts.claimed - attempts.recorded;
      const wire = [...receiver.byId.values()].reduce((s, n) => s + n, 0);
      const fromB = results.filter((r) => r.base === b.base && r.at > killedAt);
      console.log(
        `# replica-kill: ${notifications.length} reminders recorded for ${TENANTS} tenants; all delivered ${(deliveredMs / 1000).toFixed(1)} s after A died; ` +
          `receiver saw ${receiver.byId.size} distinct events in ${wire} requests (${wire - receiver.byId.size} repeats of the ${abandoned} attempt(s) A had in flight); ` +
          `B after the kill: ${fromB.length} token requests, statuses ${JSON.stringify(statusCounts(fromB))}`,
      );
      assert.equal(notifications.length, TENANTS, 'one reminder per tenant, recorded once');
      for (const n of notifications) assert.deepEqual([n.outbox, n.delivered], [1, 1], `notification ${n.id}`);
      assert.equal(attempts.delivered, TENANTS, 'exactly one delivered attempt per reminder');
      assert.equal(receiver.byId.size, TENANTS, 'the receiver got every reminder');
      assert.ok(abandoned > 0, 'A was killed with attempts in flight (else this run proved nothing about resuming)');
      assert.ok(wire - receiver.byId.size <= abandoned, 'repeats only of attempts that were in flight when A died');
      assert.ok(fromB.length > 50, 'B served load after the kill');
      assert.ok(
        fromB.every((r) => r.status === 200),
        `B answered every token request after the kill: ${JSON.stringify(statusCounts(fromB))}`,
      );
      assert.equal(results.filter((r) => r.status === 500).length, 0);
    } finally {
      await b?.stop();
      await a.stop();
      await receiver.close();
      await db.stop();
    }
  },
);
