// A key revoked on replica A while replica B could not hear change notices: B refuses it within
// 5 s of reconnecting — its caches treat every missed notice as a change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectedTenant, signIn, sleep, startApi, startPostgres, startProxy, token, waitUntil } from './support.mjs';

test(
  'a key revoked on replica A while replica B was cut off is refused by B within 5 s of reconnecting',
  { timeout: 90_000 },
  async () => {
    const db = await startPostgres();
    const proxy = await startProxy(db.url);
    const a = startApi(db.url);
    let b;
    try {
      await a.ready;
      b = startApi(proxy.url);
      await b.ready;
      const callA = await signIn(a.base);
      const first = await connectedTenant(callA);
      const second = await connectedTenant(callA);
      for (const t of [first, second]) assert.equal((await token(b.base, t.apiKey)).status, 200, 'B verified the key');

      // 1. B loses every connection (its LISTEN one too); A revokes meanwhile.
      proxy.cut('all');
      await sleep(1_500);
      assert.equal((await callA('DELETE', `/api/tenants/${first.tenantId}/api-keys/${first.apiKeyId}`)).status, 200);
      assert.equal((await token(a.base, first.apiKey)).status, 401, 'A refuses it at once');
      // B cannot know yet: it serves what it verified (TOKEN_STALE_SECONDS), by design.
      const deaf = await token(b.base, first.apiKey);
      assert.equal(deaf.status, 200, `B while cut off: ${JSON.stringify(deaf.body)}`);
      await sleep(2_000);
      proxy.open();
      const refusedMs = await waitUntil(async () => (await token(b.base, first.apiKey)).status === 401, {
        timeoutMs: 5_000,
        everyMs: 50,
        what: 'B refuses the revoked key',
      });
      assert.equal((await token(b.base, second.apiKey)).status, 200, 'the other key still works on B');

      // 2. Only B's LISTEN connection is cut; its queries still work. A revokes the second key.
      proxy.cut('listen');
      await sleep(1_000);
      assert.equal((await callA('DELETE', `/api/tenants/${second.tenantId}/api-keys/${second.apiKeyId}`)).status, 200);
      const deafRefusedMs = await waitUntil(async () => (await token(b.base, second.apiKey)).status === 401, {
        timeoutMs: 5_000,
        everyMs: 50,
        what: 'B (deaf, database reachable) refuses the second revoked key',
      });
      proxy.open();
      console.log(
        `# revoke-while-deaf: B refused the key revoked while it was cut off ${refusedMs} ms after the connection was back ` +
          `(limit 5000); with only its LISTEN connection cut, ${deafRefusedMs} ms after the revocation`,
      );
      assert.ok(refusedMs <= 5_000 && deafRefusedMs <= 5_000);
    } finally {
      await b?.stop();
      await a.stop();
      await proxy.close();
      await db.stop();
    }
  },
);
