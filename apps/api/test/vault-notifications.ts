import { randomUUID } from 'node:crypto';
import { SecretChangeListener } from '../src/vault/secret-change.listener';
import type { TestApp } from './harness';

/**
 * Waits until the app's listener has received every secret-change notification committed so
 * far (Postgres delivers them in commit order): a save's own echo, arriving late, would
 * otherwise drop a cache entry a test has just filled.
 */
export async function notificationsDelivered(t: TestApp, timeoutMs = 5000): Promise<void> {
  const marker = randomUUID();
  let seen = false;
  const unsubscribe = t.app.get(SecretChangeListener).subscribe({
    changed: (tenantId) => {
      if (tenantId === marker) seen = true;
    },
    resync: () => undefined,
  });
  try {
    await t.db.query(`SELECT pg_notify('vault_secret_changed', $1)`, [marker]);
    const until = Date.now() + timeoutMs;
    while (!seen) {
      if (Date.now() > until) throw new Error('the secret-change notification never arrived');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    unsubscribe();
  }
}
