import { generateKeyring } from '@messenger-vault/vault';
import { Client as PgClient } from 'pg';
import { runCliCaptured } from './cli-runner';
import { loadConfig } from '../src/config/config';
import { freshDatabase } from './fresh-database';
import { startTestApp, type TestApp } from './harness';
import { IntercomStandIn } from './intercom-stand-in';

const intercom = new IntercomStandIn();
let t: TestApp;

beforeAll(async () => {
  await intercom.start();
  t = await startTestApp({ INTERCOM_API_URL: intercom.url, INTERCOM_TIMEOUT_MS: '500', LOG_LEVEL: 'trace' });
});
afterEach(() => {
  intercom.fault = 'none';
});
afterAll(async () => {
  await t.close();
  await intercom.stop();
});

let seq = 0;
const workspace = (
  over: Partial<{ id_code: string; name: string; region: string; identity_verification: boolean }> = {},
) => ({
  id_code: `ws${(seq += 1)}${Date.now().toString(36)}`,
  name: `Acme Support ${seq}`,
  region: 'US',
  identity_verification: true,
  ...over,
});

async function tenantWithAdmin(appId?: string) {
  const tenant = await t.newTenant();
  const { client } = await t.newTenantAdmin(tenant.id);
  if (appId) expect((await client.put(`/api/tenants/${tenant.id}/intercom/app-id`, { appId })).status).toBe(200);
  return { tenant, admin: client, base: `/api/tenants/${tenant.id}/intercom/connection` };
}

const auditRows = (tenantId: string): Promise<Array<{ action: string; metadata: Record<string, unknown> }>> =>
  t.db.query(`SELECT action, metadata FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, [tenantId]);

test("a token for the tenant's workspace connects: evidence from GET /me, the token sealed, GET reads it back", async () => {
  const ws = workspace({ region: 'Europe', identity_verification: false });
  const { tenant, admin, base } = await tenantWithAdmin(ws.id_code);
  const token = intercom.issue(ws);
  expect((await admin.get(base)).body).toEqual({ connected: false, oauthAvailable: false });

  const put = await admin.put(base, { accessToken: token });
  expect(put.status).toBe(200);
  expect(put.body).toEqual({
    connected: true,
    appId: ws.id_code,
    region: 'eu',
    workspaceName: ws.name,
    identityVerification: false,
    connectedAt: expect.any(String),
    connectedVia: 'token',
    broken: null,
    oauthAvailable: false,
  });
  const call = intercom.requests.at(-1)!;
  expect(call).toMatchObject({ method: 'GET', url: '/me' });
  expect(call.headers).toMatchObject({
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    'intercom-version': expect.stringMatching(/^2\.\d+$/),
  });
  expect((await admin.get(base)).body).toEqual({ ...put.body, intercomSecrets: [], intercomSecretsError: null });

  const [row] = await t.db.query(`SELECT ciphertext, master_key_id FROM intercom_connections WHERE tenant_id = $1`, [
    tenant.id,
  ]);
  expect(row.ciphertext.length).toBeGreaterThan(0);
  expect(row.ciphertext.includes(Buffer.from(token))).toBe(false);
  expect((await auditRows(tenant.id)).map((r) => r.action)).toContain('intercom.connection.connected');

  const del = await admin.delete(base);
  expect(del).toMatchObject({ status: 200, body: { connected: false } });
  expect((await admin.get(base)).body).toEqual({ connected: false, oauthAvailable: false });
  expect(await t.db.query(`SELECT 1 FROM intercom_connections WHERE tenant_id = $1`, [tenant.id])).toHaveLength(0);
  expect((await auditRows(tenant.id)).map((r) => r.action)).toContain('intercom.connection.disconnected');
});

test('a token for another workspace is refused 409 and nothing is stored', async () => {
  const ours = workspace();
  const { tenant, admin, base } = await tenantWithAdmin(ours.id_code);
  const other = workspace({ name: 'Someone Else Inc' });
  const res = await admin.put(base, { accessToken: intercom.issue(other) });
  expect(res.status).toBe(409);
  expect(res.body.code).toBe('intercom_workspace_mismatch');
  expect(res.body.message).toContain(other.id_code);
  expect(res.body.message).toContain(ours.id_code);
  expect((await admin.get(base)).body).toEqual({ connected: false, oauthAvailable: false });
  const [settings] = await t.db.query(`SELECT app_id FROM intercom_settings WHERE tenant_id = $1`, [tenant.id]);
  expect(settings.app_id).toBe(ours.id_code);
});

test("with no APP_ID stored, the workspace's id_code becomes the APP_ID, audited like setting it", async () => {
  const ws = workspace({ region: 'AU' });
  const { tenant, admin, base } = await tenantWithAdmin();
  const res = await admin.put(base, { accessToken: intercom.issue(ws) });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ appId: ws.id_code, region: 'au' });
  const setup = await admin.get(`/api/tenants/${tenant.id}/intercom`);
  expect(JSON.stringify(setup.body)).toContain(ws.id_code);
  const [settings] = await t.db.query(`SELECT app_id, region FROM intercom_settings WHERE tenant_id = $1`, [tenant.id]);
  expect(settings).toEqual({ app_id: ws.id_code, region: 'au' });
  const set = (await auditRows(tenant.id)).find((r) => r.action === 'intercom.app_id.set');
  expect(set?.metadata).toMatchObject({ appId: ws.id_code, source: 'intercom_connection' });
});

test('a revoked token is refused 422 with what to do, and an existing connection is kept', async () => {
  const ws = workspace();
  const { admin, base } = await tenantWithAdmin(ws.id_code);
  const good = intercom.issue(ws);
  expect((await admin.put(base, { accessToken: good })).status).toBe(200);
  const revoked = intercom.issue(ws);
  intercom.revoke(revoked);
  const res = await admin.put(base, { accessToken: revoked });
  expect(res.status).toBe(422);
  expect(res.body.code).toBe('intercom_token_rejected');
  expect(res.body.message).toMatch(/revoked.*Copy the token again/);
  expect((await admin.get(base)).body).toMatchObject({ connected: true, appId: ws.id_code });
});

test.each(['server_error', 'slow', 'drop'] as const)(
  'Intercom %s: 502 saying to try again, nothing saved',
  async (fault) => {
    const ws = workspace();
    const { admin, base } = await tenantWithAdmin(ws.id_code);
    intercom.fault = fault;
    const started = Date.now();
    const res = await admin.put(base, { accessToken: intercom.issue(ws) });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('intercom_unavailable');
    expect(res.body.message).toMatch(/Nothing was saved; try again/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await admin.get(base)).body).toEqual({ connected: false, oauthAvailable: false });
  },
);

test('a malformed token is refused 400 before Intercom is asked', async () => {
  const { admin, base } = await tenantWithAdmin();
  const before = intercom.requests.length;
  for (const accessToken of ['', 'short', 'has a space in it', 42]) {
    const res = await admin.put(base, { accessToken });
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toMatch(/accessToken/);
  }
  expect(intercom.requests.length).toBe(before);
});

test("tenant isolation: an admin of A can neither read, replace nor remove B's connection", async () => {
  const wsB = workspace();
  const b = await tenantWithAdmin(wsB.id_code);
  expect((await b.admin.put(b.base, { accessToken: intercom.issue(wsB) })).status).toBe(200);
  const a = await tenantWithAdmin();
  const wsA = workspace();
  expect((await a.admin.get(b.base)).status).toBe(404);
  expect((await a.admin.put(b.base, { accessToken: intercom.issue(wsA) })).status).toBe(404);
  expect((await a.admin.delete(b.base)).status).toBe(404);
  expect((await b.admin.get(b.base)).body).toMatchObject({
    connected: true,
    appId: wsB.id_code,
    workspaceName: wsB.name,
  });
  expect((await t.client().get(b.base)).status).toBe(401);
});

/** Every form the token could take in text: as is, hex (bytea), base64. */
const forms = (s: string) => [s, Buffer.from(s).toString('hex'), Buffer.from(s).toString('base64')];

test('the token never appears in a response, a log line, an audit row or a database column', async () => {
  const ws = workspace();
  const { tenant, admin, base } = await tenantWithAdmin(ws.id_code);
  const token = intercom.issue(ws);
  const responses: unknown[] = [];
  const keep = async (r: Promise<{ body: unknown }>) => responses.push((await r).body);
  await keep(admin.put(base, { accessToken: token }));
  await keep(admin.get(base));
  await keep(admin.get(`/api/tenants/${tenant.id}/intercom`));
  await keep(admin.put(base, { accessToken: `${token} trailing` }));
  await keep(admin.put(base, { accessToken: `${token}x` })); // unknown to Intercom: 422
  intercom.fault = 'server_error';
  await keep(admin.put(base, { accessToken: token }));
  intercom.fault = 'none';
  await keep((await t.staff()).get(`/api/audit?tenantId=${tenant.id}`));
  await keep(admin.delete(base));
  await keep(admin.put(base, { accessToken: token }));
  // The token really was stored (and opens): its absence below is not for want of it being there.
  const [row] = await t.db.query(`SELECT ciphertext FROM intercom_connections WHERE tenant_id = $1`, [tenant.id]);
  expect(row).toBeDefined();

  const pg = new PgClient({ connectionString: process.env.DATABASE_URL });
  await pg.connect();
  const dump: string[] = [];
  try {
    const tables = (await pg.query(`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'`))
      .rows as Array<{ name: string }>;
    for (const { name } of tables) {
      dump.push(...(await pg.query(`SELECT t::text AS row FROM ${name} t`)).rows.map((r: { row: string }) => r.row));
    }
  } finally {
    await pg.end();
  }
  const dumpText = dump.join('\n');
  expect(dumpText).toContain(ws.id_code);
  const audit = JSON.stringify(await auditRows(tenant.id));
  expect(audit).toContain('intercom.connection.connected');
  for (const text of [JSON.stringify(responses), t.logs.join('\n'), audit, dumpText]) {
    for (const form of forms(token)) expect(text).not.toContain(form);
  }
});

test('vault:status counts the sealed token and vault:rewrap moves it, so an old master key can leave', async () => {
  const OLD = generateKeyring({ id: 'k-ic-old' });
  const NEW = generateKeyring({ id: 'k-ic-new' });
  const db = await freshDatabase();
  try {
    const env = { DATABASE_URL: db.url, INTERCOM_API_URL: intercom.url };
    const first = await startTestApp({ ...env, VAULT_KEYRING: OLD });
    let tenantId: string;
    try {
      const tenant = await first.newTenant();
      tenantId = tenant.id;
      const { client } = await first.newTenantAdmin(tenant.id);
      const res = await client.put(`/api/tenants/${tenant.id}/intercom/connection`, {
        accessToken: intercom.issue(workspace()),
      });
      expect(res.status).toBe(200);
    } finally {
      await first.close();
    }
    // Only the Intercom token is under the old key, and the start-up check refuses without it.
    await expect(startTestApp({ ...env, VAULT_KEYRING: NEW })).rejects.toThrow(/k-ic-old/);

    const cliEnv = { DATABASE_URL: db.url, VAULT_KEYRING: `${NEW},${OLD}` };
    const status = await runCliCaptured(['vault:status'], cliEnv);
    expect(status.out).toMatch(/k-ic-old\s+1/);
    const rewrap = await runCliCaptured(['vault:rewrap'], cliEnv);
    expect(rewrap.code).toBe(0);
    expect(rewrap.out).toMatch(/1 Intercom access token\(s\)/);

    const after = await startTestApp({ ...env, VAULT_KEYRING: NEW });
    try {
      const rows = await after.db.query(`SELECT master_key_id FROM intercom_connections WHERE tenant_id = $1`, [
        tenantId,
      ]);
      expect(rows).toEqual([{ master_key_id: 'k-ic-new' }]);
    } finally {
      await after.close();
    }
  } finally {
    await db.drop();
  }
});

test('INTERCOM_API_URL is checked at boot: a wrong one stops the start with a line naming it', () => {
  for (const bad of [
    'ftp://api.intercom.test',
    'https://user:pw@api.intercom.test',
    'https://api.intercom.test/?x=1',
    'nope',
  ])
    expect(() => loadConfig({ INTERCOM_API_URL: bad })).toThrow(/INTERCOM_API_URL: must be/);
  expect(loadConfig({ INTERCOM_API_URL: 'https://api.intercom.test/' }).intercom.apiUrl).toBe(
    'https://api.intercom.test',
  );
  expect(loadConfig({}).intercom).toEqual({ apiUrl: null, timeoutMs: 10000, oauth: null });
});
