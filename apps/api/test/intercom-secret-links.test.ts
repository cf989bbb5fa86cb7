import { startTestApp, type TestApp } from './harness';
import { IntercomStandIn } from './intercom-stand-in';

const intercom = new IntercomStandIn();
let t: TestApp;

beforeAll(async () => {
  await intercom.start();
  t = await startTestApp({ INTERCOM_API_URL: intercom.url, INTERCOM_TIMEOUT_MS: '500', LOG_LEVEL: 'trace' });
});
afterEach(() => intercom.reset());
afterAll(async () => {
  await t.close();
  await intercom.stop();
});

let seq = 0;
const workspace = () => ({
  id_code: `ln${(seq += 1)}${Date.now().toString(36)}`,
  name: `Link Workspace ${seq}`,
  region: 'US',
  identity_verification: true,
});

/** A tenant connected to a fresh workspace holding two secrets made in Intercom's dashboard. */
async function connectedTenant(scopes?: string[]) {
  const ws = workspace();
  const tenant = await t.newTenant();
  const { client: admin } = await t.newTenantAdmin(tenant.id);
  const base = `/api/tenants/${tenant.id}/intercom`;
  expect((await admin.put(`${base}/app-id`, { appId: ws.id_code })).status).toBe(200);
  const token = intercom.issue(ws, scopes);
  expect((await admin.put(`${base}/connection`, { accessToken: token })).status).toBe(200);
  const web = intercom.addSecret(ws.id_code, { name: 'Messenger web', supports_web: true });
  const mobile = intercom.addSecret(ws.id_code, { name: 'Apps', supports_ios: true, supports_android: true });
  return { ws, tenant, admin, base, token, web, mobile };
}

const audit = (tenantId: string): Promise<Array<{ action: string; metadata: string }>> =>
  t.db.query(`SELECT action, metadata::text AS metadata FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, [
    tenantId,
  ]);

test("GET connection lists the workspace's Intercom secrets (Preview API), metadata only, with their links", async () => {
  const { admin, base, web, mobile } = await connectedTenant();
  const res = await admin.get(`${base}/connection`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ connected: true, broken: null, intercomSecretsError: null });
  expect(res.body.intercomSecrets).toEqual([
    { id: web.id, name: 'Messenger web', platforms: ['web'], createdAt: expect.any(String), linkedVersion: null },
    { id: mobile.id, name: 'Apps', platforms: ['ios', 'android'], createdAt: expect.any(String), linkedVersion: null },
  ]);
  expect(new Date(res.body.intercomSecrets[0].createdAt).getTime()).toBe(web.created_at * 1000);
  const call = intercom.requests.filter((r) => r.url === '/secure_mode_secrets').at(-1)!;
  expect(call.headers['intercom-version']).toBe('Preview');
  expect(JSON.stringify(res.body)).not.toContain(web.secret);
});

test('link a version to its Intercom secret, idempotently; one Intercom secret is one version; unlink', async () => {
  const { tenant, admin, base, token, web, mobile } = await connectedTenant();
  const pasted = 'a-messenger-secret-linked-0123456789';
  expect((await admin.put(`${base}/secret`, { secret: pasted })).status).toBe(201);
  expect((await admin.put(`${base}/secret`, { secret: 'a-second-messenger-secret-987654' })).status).toBe(201);

  const link = await admin.put(`${base}/secrets/1/intercom-secret`, { intercomSecretId: web.id });
  expect(link).toMatchObject({ status: 200, body: { version: 1, intercomSecretId: web.id } });
  expect((await admin.put(`${base}/secrets/1/intercom-secret`, { intercomSecretId: web.id })).status).toBe(200);
  const listed = (await admin.get(`${base}/connection`)).body.intercomSecrets;
  expect(listed.map((s: { id: string; linkedVersion: number | null }) => [s.id, s.linkedVersion])).toEqual([
    [web.id, 1],
    [mobile.id, null],
  ]);

  const taken = await admin.put(`${base}/secrets/2/intercom-secret`, { intercomSecretId: web.id });
  expect(taken.status).toBe(409);
  expect(taken.body.code).toBe('intercom_secret_already_linked');
  expect(taken.body.message).toMatch(/already linked to version 1.*Unlink it there first/);

  const [{ intercom_secret_id }] = await t.db.query(
    `SELECT intercom_secret_id FROM secret_versions WHERE tenant_id = $1 AND version = 1`,
    [tenant.id],
  );
  expect(intercom_secret_id).toBe(web.id);

  const unlinked = await admin.delete(`${base}/secrets/1/intercom-secret`);
  expect(unlinked).toMatchObject({ status: 200, body: { version: 1, intercomSecretId: null } });
  expect((await admin.put(`${base}/secrets/2/intercom-secret`, { intercomSecretId: web.id })).status).toBe(200);

  const trail = await audit(tenant.id);
  const actions = trail.map((r) => r.action);
  expect(actions.filter((a) => a === 'intercom.secret.linked')).toHaveLength(2); // the repeat recorded nothing
  expect(actions).toContain('intercom.secret.unlinked');
  expect(trail.find((r) => r.action === 'intercom.secret.linked')!.metadata).toContain(web.id);
  const everything = [JSON.stringify(trail), ...t.logs].join('\n');
  for (const secret of [pasted, token, web.secret]) expect(everything).not.toContain(secret);
});

test('unknown version 404, unknown Intercom secret 422, malformed input 400, not connected 409', async () => {
  const { admin, base } = await connectedTenant();
  expect((await admin.put(`${base}/secret`, { secret: 'a-messenger-secret-0123456789' })).status).toBe(201);
  const unknownVersion = await admin.put(`${base}/secrets/9/intercom-secret`, { intercomSecretId: '1' });
  expect(unknownVersion.status).toBe(404);
  expect((await admin.delete(`${base}/secrets/9/intercom-secret`)).status).toBe(404);
  const unknownSecret = await admin.put(`${base}/secrets/1/intercom-secret`, { intercomSecretId: '999999' });
  expect(unknownSecret).toMatchObject({ status: 422, body: { code: 'intercom_secret_unknown' } });
  expect(unknownSecret.body.message).toContain('999999');
  for (const body of [{}, { intercomSecretId: '' }, { intercomSecretId: 'has space' }, { intercomSecretId: 7 }]) {
    const res = await admin.put(`${base}/secrets/1/intercom-secret`, body);
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toMatch(/intercomSecretId/);
  }
  expect((await admin.put(`${base}/secrets/abc/intercom-secret`, { intercomSecretId: '1' })).status).toBe(400);

  const lonely = await t.newTenant();
  const { client: other } = await t.newTenantAdmin(lonely.id);
  const lonelyBase = `/api/tenants/${lonely.id}/intercom`;
  expect((await other.put(`${lonelyBase}/secret`, { secret: 'a-messenger-secret-0123456789' })).status).toBe(201);
  const notConnected = await other.put(`${lonelyBase}/secrets/1/intercom-secret`, { intercomSecretId: '1' });
  expect(notConnected).toMatchObject({ status: 409, body: { code: 'intercom_not_connected' } });
  expect((await other.get(`${lonelyBase}/connection`)).body).toEqual({ connected: false, oauthAvailable: false });

  // Another tenant's admin reaches neither route.
  expect((await other.put(`${base}/secrets/1/intercom-secret`, { intercomSecretId: '1' })).status).toBe(404);
  expect((await other.delete(`${base}/secrets/1/intercom-secret`)).status).toBe(404);
});

test('Intercom failing: the connection still reads, with an error field; linking answers 502', async () => {
  const { admin, base, web } = await connectedTenant();
  expect((await admin.put(`${base}/secret`, { secret: 'a-messenger-secret-0123456789' })).status).toBe(201);
  intercom.inject({ method: 'GET', path: '/secure_mode_secrets', fault: 'server_error', times: 2 });
  const res = await admin.get(`${base}/connection`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    connected: true,
    broken: null,
    intercomSecrets: [],
    intercomSecretsError: { code: 'intercom_unavailable', message: expect.stringMatching(/Try again/) },
  });
  const link = await admin.put(`${base}/secrets/1/intercom-secret`, { intercomSecretId: web.id });
  expect(link).toMatchObject({ status: 502, body: { code: 'intercom_unavailable' } });

  intercom.inject({ method: 'GET', path: '/secure_mode_secrets', fault: 'slow' });
  const slow = await admin.get(`${base}/connection`);
  expect(slow).toMatchObject({ status: 200, body: { intercomSecretsError: { code: 'intercom_unavailable' } } });
});

test('a token without the secrets scope: told which permission to add, and the connection is not broken', async () => {
  const { admin, base } = await connectedTenant(['read_admins']);
  const res = await admin.get(`${base}/connection`);
  expect(res.body).toMatchObject({ broken: null, intercomSecrets: [] });
  expect(res.body.intercomSecretsError).toMatchObject({ code: 'intercom_token_rejected' });
  expect(res.body.intercomSecretsError.message).toMatch(/read_secure_mode_secret/);
});

test('a 401 later marks the connection broken, once, audited; reconnecting clears it', async () => {
  const { ws, tenant, admin, base, token } = await connectedTenant();
  intercom.revoke(token);
  const res = await admin.get(`${base}/connection`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    connected: true,
    broken: { at: expect.any(String), reason: expect.stringMatching(/Access Token Invalid/) },
    intercomSecrets: [],
    intercomSecretsError: {
      code: 'intercom_token_rejected',
      message: expect.stringMatching(/Connect the workspace again/),
    },
  });
  const [row] = await t.db.query(`SELECT broken_at, broken_reason FROM intercom_connections WHERE tenant_id = $1`, [
    tenant.id,
  ]);
  expect(row.broken_at).toBeInstanceOf(Date);

  // Broken: Intercom is not asked again with a token it refused, and it is recorded once.
  const calls = intercom.requests.length;
  expect((await admin.get(`${base}/connection`)).body.broken).not.toBeNull();
  expect(intercom.requests.length).toBe(calls);
  const broken = (await audit(tenant.id)).filter((r) => r.action === 'intercom.connection.broken');
  expect(broken).toHaveLength(1);
  expect(broken[0]!.metadata).not.toContain(token);
  // Told in-app: the tenant's setup (overview, wizard) and the staff overview name the problem.
  const problems = (await admin.get(base)).body.problems as Array<{ code: string; message: string }>;
  expect(problems.find((p) => p.code === 'intercom_connection_broken')?.message).toMatch(/Connect the workspace again/);
  const staff = await t.staff();
  const overview = await staff.get(`/api/staff/integrations?problem=intercom_connection_broken&q=${ws.id_code}`);
  expect(overview.status).toBe(200);
  expect(JSON.stringify(overview.body)).toContain(tenant.id);

  const fresh = intercom.issue(ws);
  expect((await admin.put(`${base}/connection`, { accessToken: fresh })).status).toBe(200);
  expect((await admin.get(`${base}/connection`)).body).toMatchObject({ broken: null, intercomSecretsError: null });
  const after = (await admin.get(base)).body.problems as Array<{ code: string }>;
  expect(after.map((p) => p.code)).not.toContain('intercom_connection_broken');
  expect(t.logs.join('\n')).not.toContain(token);
});
