// SIGSTOP the database for 10 s under token load: a hung database must not hold token requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  connectedTenant,
  percentile,
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

const FREEZE_MS = 10_000;

test(
  'SIGSTOP of PostgreSQL for 10 s: p99 of warmed token requests stays < 50 ms (or within twice the pre-freeze p99 on a busy machine), even as cached keys expire',
  { timeout: 90_000 },
  async () => {
    const db = await startPostgres();
    // Signing keys expire every 3 s, so some expire while the database is frozen: their refresh
    // must not hold the request.
    const api = startApi(db.url, { VAULT_CACHE_TTL_SECONDS: '3' });
    try {
      await api.ready;
      const call = await signIn(api.base);
      const tenants = [await connectedTenant(call), await connectedTenant(call), await connectedTenant(call)];
      const keys = tenants.map((t) => t.apiKey);
      for (const key of keys) assert.equal((await token(api.base, key)).status, 200, 'warm-up');

      const load = tokenLoad([api.base], keys);
      await sleep(1_000);
      const frozenAt = Date.now();
      db.signal('SIGSTOP');
      await sleep(FREEZE_MS);
      const thawedAt = Date.now();
      db.signal('SIGCONT');
      await sleep(1_000);
      const results = await load.stop();
      const readyMs = await waitUntil(async () => (await readyStatus(api.base)) === 200, { what: 'readyz 200' });

      const during = results.filter((r) => r.at >= frozenAt && r.at <= thawedAt);
      const before = results.filter((r) => r.at < frozenAt);
      const baseline = percentile(
        before.map((r) => r.ms),
        99,
      );
      const max = Math.max(...during.map((r) => r.ms));
      const p99 = percentile(
        during.map((r) => r.ms),
        99,
      );
      const p50 = percentile(
        during.map((r) => r.ms),
        50,
      );
      const ok = during.filter((r) => r.status === 200).length;
      console.log(
        `# db-freeze: ${during.length} token requests during the ${FREEZE_MS / 1000} s freeze: p50 ${p50.toFixed(1)} ms, ` +
          `p99 ${p99.toFixed(1)} ms (${baseline.toFixed(1)} ms before the freeze), max ${max.toFixed(1)} ms, ` +
          `${((ok / during.length) * 100).toFixed(2)}% 2xx; statuses ${JSON.stringify(statusCounts(results))}; ready ${readyMs} ms after SIGCONT+1 s`,
      );
      assert.ok(during.length > 100, `load ran during the freeze (${during.length})`);
      // The target is 50 ms; on a machine busy with other work the same run's latency before the
      // freeze is the fair yardstick: the freeze must not add to it.
      assert.ok(p99 < Math.max(50, 2 * baseline), `p99 ${p99} ms during the freeze, ${baseline} ms before`);
      // No request waited for the frozen database (a hot-path query would give up after 2 s).
      assert.ok(max < 2_000, `slowest ${max} ms`);
      assert.equal(ok, during.length, 'every warmed request during the freeze succeeded');
      assert.equal(results.filter((r) => r.status === 500).length, 0, 'no answer is a 500');
    } finally {
      await api.stop();
      await db.stop();
    }
  },
);
