// SIGKILL the database under token load: tokens for warmed keys keep coming, nothing answers 500,
// the API is ready again soon after the database is back, and every token issued is counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  connectedTenant,
  percentile,
  query,
  readyStatus,
  signIn,
  sleep,
  startApi,
  startPostgres,
  statusCounts,
  token,
  tokenLoad,
  waitUntil,
} from './support.mjs';

// Kill to restart; with the restart itself the database is away about 30 s.
const OUTAGE_MS = 27_000;

test(
  'SIGKILL of PostgreSQL under token load: ≥ 99% 2xx for warmed keys, no 500, ready ≤ 15 s after it is back, usage complete',
  { timeout: 120_000 },
  async () => {
    const db = await startPostgres();
    const api = startApi(db.url);
    try {
      await api.ready;
      const call = await signIn(api.base);
      const tenants = [await connectedTenant(call), await connectedTenant(call)];
      const cold = await connectedTenant(call); // its key is never used before the outage
      const keys = tenants.map((t) => t.apiKey);
      for (const key of keys) assert.equal((await token(api.base, key)).status, 200, 'warm-up');

      const load = tokenLoad([api.base], keys);
      await sleep(2_000);
      const killedAt = Date.now();
      db.signal('SIGKILL');
      await sleep(3_000);
      // During the outage: what needs the database is a clear 503, never 500.
      const coldAnswer = await token(api.base, cold.apiKey);
      const adminAnswer = await call('GET', '/api/tenants');
      const readyDuring = await readyStatus(api.base);
      await sleep(OUTAGE_MS - 3_000);
      await db.restart();
      const backAt = Date.now();
      const readyMs = await waitUntil(async () => (await readyStatus(api.base)) === 200, {
        timeoutMs: 20_000,
        what: 'readyz 200',
      });
      await sleep(2_000);
      const results = await load.stop();

      const during = results.filter((r) => r.at >= killedAt && r.at <= backAt);
      const ok = during.filter((r) => r.status >= 200 && r.status < 300).length;
      const share = ok / during.length;
      const p99 = percentile(
        during.map((r) => r.ms),
        99,
      );
      console.log(
        `# db-kill: ${results.length} token requests, ${during.length} during the ${Math.round((backAt - killedAt) / 1000)} s outage: ` +
          `${(share * 100).toFixed(2)}% 2xx, statuses ${JSON.stringify(statusCounts(results))}, p99 during outage ${p99.toFixed(1)} ms; ` +
          `ready ${(readyMs / 1000).toFixed(1)} s after the database was back`,
      );
      assert.equal(results.filter((r) => r.status === 500).length, 0, 'no answer is a 500');
      assert.ok(during.length > 100, `load ran during the outage (${during.length})`);
      assert.ok(share >= 0.99, `2xx share during the outage ${share}`);
      assert.equal(coldAnswer.status, 503, `an unwarmed key during the outage: ${JSON.stringify(coldAnswer.body)}`);
      assert.equal(coldAnswer.body.code, 'database_unavailable');
      assert.ok(Number(coldAnswer.retryAfter) > 0, 'Retry-After on the 503');
      assert.equal(adminAnswer.status, 503, `an admin route during the outage: ${JSON.stringify(adminAnswer.body)}`);
      assert.equal(adminAnswer.body.code, 'database_unavailable');
      assert.equal(adminAnswer.headers.get('retry-after') !== null, true);
      assert.equal(readyDuring, 503, 'not ready while the database is away');
      assert.ok(readyMs <= 15_000, `ready ${readyMs} ms after the database was back`);

      // After recovery: the cold key works, and every token issued is in token_usage.
      assert.equal((await token(api.base, cold.apiKey)).status, 200);
      const issued = results.filter((r) => r.status === 200).length + tenants.length; // + the warm-ups
      const ids = tenants.map((t) => t.tenantId);
      let counted = 0;
      const flushMs = await waitUntil(
        async () => {
          const [row] = await query(
            db.url,
            `SELECT coalesce(sum(count), 0)::int AS n FROM token_usage WHERE tenant_id = ANY($1::uuid[])`,
            [ids],
          );
          counted = row.n;
          return counted >= issued;
        },
        { timeoutMs: 15_000, everyMs: 500, what: `usage counted (${issued} issued)` },
      ).catch((err) => {
        throw new Error(`${err.message}: ${counted} counted`);
      });
      console.log(
        `# db-kill: ${issued} tokens issued, ${counted} counted in token_usage (${flushMs} ms after the check began)`,
      );
      assert.equal(counted, issued, 'every token counted exactly once');
      assert.doesNotMatch(api.output(), /unhandled error/);
    } finally {
      await api.stop();
      await db.stop();
    }
  },
);
