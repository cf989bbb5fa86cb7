import { randomUUID } from 'node:crypto';
import { ChangeBus } from '../src/core/change-bus.service';
import { SECRET_TOPIC } from '../src/vault/secret-change';
import type { TestApp } from './harness';

/**
 * Waits until the app's listener has received every secret-change notification committed so
 * far (Postgres delivers them in commit order): a save's own echo, arriving late, would
 * otherwise drop a cache entry a test has just filled.
 */
export async function notificationsDelivered(t: TestApp, timeoutMs = 5000): Promise<void> {
  const marker = randomUUID();
  let seen = false;
  const unsubscribe = t.app.get(ChangeBus).subscribe(SECRET_TOPIC, (tenantId) => {
    if (tenantId === marker) seen = true;
  });
  try {
    await t.db.query(`SELECT pg_notify('mv_changes', 'secret:' || $1)`, [marker]);
    const until = Date.now() + timeoutMs;
    while (!seen) {
      if (Date.now() > until) throw new Error('the secret-change notification never arrived');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    unsubscribe();
  }
}
