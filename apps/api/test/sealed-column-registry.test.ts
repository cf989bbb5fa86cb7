import { generateKeyring, LocalKeyringProvider, parseKeyring } from '@messenger-vault/vault';
import { createDataSource } from '../src/database/data-source';
import { openWebhookSecret, type SealedWebhookRow } from '../src/rotation/webhook-secret';
import { checkMasterKeys, MasterKeyCheckFailed } from '../src/vault/master-key-check';
import { rewrapAll } from '../src/vault/rewrap';
import { SEALED_COLUMN_SETS } from '../src/vault/sealed-column-registry';
import { SEALED_COLUMNS } from '../src/vault/sealed-column-set';
import { freshDatabase, type FreshDatabase } from './fresh-database';
import { startTestApp } from './harness';

const OLD = generateKeyring({ id: 'k-reg-old' });
const NEW = generateKeyring({ id: 'k-reg-new' });

let db: FreshDatabase;
/** Two tenants, each with a Messenger secret and a webhook (its signing secret), all under OLD. */
let tenants: Array<{ id: string; webhookSecret: string }>;

beforeAll(async () => {
  db = await freshDatabase();
  const app = await startTestApp({ DATABASE_URL: db.url, VAULT_KEYRING: OLD });
  try {
    tenants = [];
    for (let i = 0; i < 2; i++) {
      const tenant = await app.newTenant();
      const { client } = await app.newTenantAdmin(tenant.id);
      const secret = await client.put(`/api/tenants/${tenant.id}/intercom/secret`, {
        secret: `sk_${'a'.repeat(30)}${i}`,
      });
      expect(secret.status).toBe(201);
      const hook = await client.put(`/api/tenants/${tenant.id}/webhook`, { url: 'http://127.0.0.1:9/hook' });
      expect(hook.status).toBe(201);
      tenants.push({ id: tenant.id, webhookSecret: hook.body.signingSecret });
    }
  } finally {
    await app.close();
  }
});
afterAll(async () => {
  await db.drop();
});

async function withDb<T>(work: (ds: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const ds = await connect();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}
const connect = () => createDataSource(db.url, 2).initialize();

test('every table in the database that holds sealed columns is registered with the vault, with all four', async () => {
  await withDb(async (ds) => {
    const columns: Array<{ table_name: string; column_name: string; data_type: string }> = await ds.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() ORDER BY table_name, column_name`,
    );
    const registered = SEALED_COLUMN_SETS.map((s) => s.table).sort();
    // vault_master_keys names the keys (a check value, no ciphertext): the registry's own table.
    const holding = [
      ...new Set(
        columns
          .filter((c) => (SEALED_COLUMNS as readonly string[]).includes(c.column_name))
          .map((c) => c.table_name)
          .filter((t) => t !== 'vault_master_keys'),
      ),
    ].sort();
    expect(holding).toEqual(registered);
    expect(registered).toEqual(expect.arrayContaining(['secret_versions', 'webhook_endpoints']));
    // Any other binary column is a hash by name, or public by nature and named here; ciphertext
    // under another name fails here.
    const notSecret = new Set([
      'user_passkeys.public_key', // a WebAuthn credential's public key
      'webauthn_challenges.bound_to', // the id hash of the session or pending sign-in a ceremony belongs to
    ]);
    const otherBinary = columns
      .filter((c) => c.data_type === 'bytea' && !registered.includes(c.table_name) && !c.column_name.endsWith('_hash'))
      .map((c) => `${c.table_name}.${c.column_name}`)
      .filter((name) => !notSecret.has(name));
    expect(otherBinary).toEqual([]);
    for (const set of SEALED_COLUMN_SETS) {
      const own = columns.filter((c) => c.table_name === set.table).map((c) => c.column_name);
      expect(own).toEqual(expect.arrayContaining(['id', set.tenantColumn, ...set.bindingColumns, ...SEALED_COLUMNS]));
    }
  });
});

test('the start-up key check names webhook signing secrets under a missing key, found through the registry', async () => {
  await withDb(async (ds) => {
    const onlyNew = new LocalKeyringProvider(parseKeyring(NEW));
    const failure = await checkMasterKeys(ds, onlyNew, () => undefined).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(MasterKeyCheckFailed);
    expect((failure as Error).message).toMatch(
      /master key "k-reg-old" wraps 2 secret version\(s\) and 2 webhook signing secret\(s\) but is not in the configured keyring/,
    );
  });
});

test('rewrapAll moves webhook signing secrets through the registry, and reports an altered one instead of skipping it', async () => {
  await withDb(async (ds) => {
    const [victim, source] = tenants;
    // A wrapped key copied from another row: its AAD binding (tenant, webhook id) no longer matches.
    await ds.query(
      `UPDATE webhook_endpoints v SET wrapped_key = s.wrapped_key FROM webhook_endpoints s
        WHERE v.tenant_id = $1 AND s.tenant_id = $2`,
      [victim!.id, source!.id],
    );
    const provider = new LocalKeyringProvider(parseKeyring(`${NEW},${OLD}`));
    const result = await rewrapAll(ds, provider, { batchSize: 1 });
    expect(result).toMatchObject({
      rewrapped: 3,
      byTable: { secret_versions: 2, webhook_endpoints: 1 },
      remaining: 1,
      stopped: false,
    });
    const [webhookId] = (await ds.query(`SELECT id FROM webhook_endpoints WHERE tenant_id = $1`, [victim!.id])).map(
      (r: { id: string }) => r.id,
    );
    expect(result.unopenable).toEqual([
      {
        table: 'webhook_endpoints',
        noun: 'webhook signing secret',
        description: `tenant ${victim!.id} webhook ${webhookId}`,
      },
    ]);
    // The moved webhook secret opens under the new key alone, and is the secret the tenant was given.
    const [moved]: SealedWebhookRow[] = await ds.query(
      `SELECT id, tenant_id, ciphertext, iv, wrapped_key, master_key_id FROM webhook_endpoints WHERE tenant_id = $1`,
      [source!.id],
    );
    expect(moved!.master_key_id).toBe('k-reg-new');
    const opened = await openWebhookSecret(new LocalKeyringProvider(parseKeyring(NEW)), moved!);
    expect(opened.reveal()).toBe(source!.webhookSecret);
    // Nothing in the report is secret material.
    expect(JSON.stringify(result)).not.toContain(source!.webhookSecret);
  });
});
