import { LocalKeyringProvider, parseKeyring, sealSecret, toSealedColumns } from '@messenger-vault/vault';
import { encodeCursor } from '../src/common/cursor';
import { openWebhookSecret, type SealedWebhookRow } from '../src/rotation/webhook-secret';
import { runCliCaptured } from './cli-runner';
import { freshDatabase } from './fresh-database';
import { startTestApp, TestApp, TEST_KEYRING } from './harness';
import { connectedTenant, randomSecret, verifyHs256 } from './token-fixtures';

// Long enough that only a change notification, never the TTL, can explain a fresh key.
const LONG_CACHE = { VAULT_CACHE_TTL_SECONDS: '3600' };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(LONG_CACHE);
});
afterAll(async () => {
  await t.close();
});

async function token(app: TestApp, apiKey: string) {
  return app.client(null).post(
    '/v1/intercom/token',
    { user_id: '42', platform: 'web' },
    {
      authorization: `Bearer ${apiKey}`,
    },
  );
}

test('a secret saved through an upper-case tenant id opens on this replica, after a restart, and drops the old cache', async () => {
  const c = await connectedTenant(t);
  const warm = await token(t, c.apiKey);
  expect(verifyHs256(warm.body.token, c.secret)).not.toBeNull();

  const upper = c.tenantId.toUpperCase();
  const replacement = randomSecret();
  const saved = await c.admin.put(`/api/tenants/${upper}/intercom/secret`, { secret: replacement });
  expect(saved.status).toBe(201);

  // The change notification named the canonical id, so this replica's cached key went away.
  const after = await token(t, c.apiKey);
  expect(after.status).toBe(200);
  expect(verifyHs256(after.body.token, replacement)).not.toBeNull();

  // A replica with an empty cache (a restart) opens it from the database: on main, 409.
  const restarted = await startTestApp(LONG_CACHE);
  try {
    const fresh = await token(restarted, c.apiKey);
    expect({ status: fresh.status, code: fresh.body.code }).toEqual({ status: 200, code: undefined });
    expect(verifyHs256(fresh.body.token, replacement)).not.toBeNull();
  } finally {
    await restarted.close();
  }
  const rows = await t.db.query(`SELECT DISTINCT tenant_id::text AS t FROM audit_events WHERE tenant_id = $1`, [
    c.tenantId,
  ]);
  expect(rows).toEqual([{ t: c.tenantId }]);
});

test('a webhook saved through an upper-case tenant id has a signing secret that opens', async () => {
  const tenant = await t.newTenant();
  const { client } = await t.newTenantAdmin(tenant.id);
  const res = await client.put(`/api/tenants/${tenant.id.toUpperCase()}/webhook`, { url: 'http://127.0.0.1:9/hook' });
  expect(res.status).toBe(201);
  const rows: SealedWebhookRow[] = await t.db.query(
    `SELECT id, tenant_id, ciphertext, iv, wrapped_key, master_key_id FROM webhook_endpoints WHERE tenant_id = $1`,
    [tenant.id],
  );
  expect(rows).toHaveLength(1);
  // Opened under the stored (canonical) id, as every delivery does: on main, DecryptionFailed.
  const opened = await openWebhookSecret(new LocalKeyringProvider(parseKeyring(TEST_KEYRING)), rows[0]!);
  expect(opened.reveal().length).toBeGreaterThan(16);
});

test('ids that are not UUIDs are 404 (tenant, API key) or 400 (cursor) before any query, never 500', async () => {
  const staff = await t.staff();
  const tenant = await t.newTenant();
  const dashes = '-'.repeat(36);
  const notFound = [
    `/api/tenants/${dashes}`,
    `/api/tenants/${dashes}/intercom`,
    `/api/tenants/${tenant.id.replace(/-/g, 'g')}/intercom`,
    `/api/tenants/${tenant.id}x/intercom`,
  ];
  for (const path of notFound) expect({ path, status: (await staff.get(path)).status }).toEqual({ path, status: 404 });
  const revoke = await staff.delete(`/api/tenants/${tenant.id}/api-keys/${dashes}`);
  expect(revoke.status).toBe(404);

  for (const cursor of [
    encodeCursor({ at: '2024-01-01T00:00:00.000000Z', id: dashes }),
    encodeCursor({ at: '2024-99-99T00:00:00.000000Z', id: tenant.id }),
    encodeCursor({ at: '2024-02-30T25:61:00Z', id: tenant.id }),
    'x'.repeat(10_000),
  ]) {
    for (const path of ['/api/tenants', '/api/audit', `/api/tenants/${tenant.id}/notifications`]) {
      const res = await staff.get(`${path}?cursor=${encodeURIComponent(cursor)}`);
      expect({ path, status: res.status, field: Object.keys(res.body.fields ?? {}) }).toEqual({
        path,
        status: 400,
        field: ['cursor'],
      });
    }
  }
});

test('vault:status lists, by row and column, the versions that do not open', async () => {
  const db = await freshDatabase();
  try {
    const app = await startTestApp({ DATABASE_URL: db.url });
    let tenantId: string;
    try {
      const c = await connectedTenant(app);
      tenantId = c.tenantId;
      // What main did with an upper-case path: sealed under a spelling its columns don't hold.
      const [row] = await app.db.query(`SELECT id, secret_id, version FROM secret_versions WHERE tenant_id = $1`, [
        tenantId,
      ]);
      const provider = new LocalKeyringProvider(parseKeyring(TEST_KEYRING));
      const sealed = toSealedColumns(
        await sealSecret(
          provider,
          { tenantId: tenantId.toUpperCase(), secretId: row.secret_id, version: row.version },
          randomSecret(),
        ),
      );
      await app.db.query(`UPDATE secret_versions SET ciphertext = $2, iv = $3, wrapped_key = $4 WHERE id = $1`, [
        row.id,
        sealed.ciphertext,
        sealed.iv,
        sealed.wrappedKey,
      ]);
      const healthy = await connectedTenant(app);
      const status = await runCliCaptured(['vault:status'], { DATABASE_URL: db.url, VAULT_KEYRING: TEST_KEYRING });
      expect(status.code).toBe(1);
      expect(status.out).toContain('1 stored secret(s) do not open');
      expect(status.out).toContain(`secret_versions id ${row.id} (tenant ${tenantId} version 1), column wrapped_key`);
      expect(status.out).not.toContain(healthy.tenantId);
      expect(status.err).toMatch(/do not open/);
    } finally {
      await app.close();
    }
  } finally {
    await db.drop();
  }
}, 30_000);
