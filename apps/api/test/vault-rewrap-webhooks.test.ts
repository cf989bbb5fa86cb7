import { generateKeyring } from '@messenger-vault/vault';
import { freshDatabase, FreshDatabase } from './fresh-database';
import { runCliCaptured } from './cli-runner';
import { startTestApp } from './harness';

const OLD = generateKeyring({ id: 'k-web-old' });
const NEW = generateKeyring({ id: 'k-web-new' });

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** Webhook signing secrets are sealed under the same master keys as Messenger secrets. */
test('vault:rewrap moves webhook signing secrets too, so the old master key can really leave', async () => {
  const first = await startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: OLD });
  let tenantId: string;
  try {
    const tenant = await first.newTenant();
    tenantId = tenant.id;
    const { client } = await first.newTenantAdmin(tenant.id);
    expect((await client.put(`/api/tenants/${tenant.id}/webhook`, { url: 'http://127.0.0.1:9/hook' })).status).toBe(
      201,
    );
  } finally {
    await first.close();
  }

  // Only a webhook secret is under the old key, and the start-up check still refuses without it.
  await expect(startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: NEW })).rejects.toThrow(/k-web-old/);

  const env = { DATABASE_URL: db.url, VAULT_KEYRING: `${NEW},${OLD}` };
  const status = await runCliCaptured(['vault:status'], env);
  expect(status.out).toMatch(/k-web-old\s+1/);
  const rewrap = await runCliCaptured(['vault:rewrap'], env);
  expect(rewrap.code).toBe(0);
  expect(rewrap.out).toMatch(/and 1 webhook signing secret\(s\)/);

  const after = await startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: NEW });
  try {
    const rows: Array<{ master_key_id: string }> = await after.db.query(
      `SELECT master_key_id FROM webhook_endpoints WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(rows).toEqual([{ master_key_id: 'k-web-new' }]);
  } finally {
    await after.close();
  }
});
