import { createServer } from 'node:net';
import { loadConfig } from '../src/config/config';
import { Client, startTestApp, type TestApp } from './harness';
import { IntercomOAuthStandIn } from './intercom-oauth-stand-in';
import { IntercomStandIn } from './intercom-stand-in';

const CLIENT_ID = 'mv-test-client-7f3a';
const CLIENT_SECRET = 'client-secret-never-to-be-seen-9c1e';
const intercom = new IntercomStandIn();
const oauth = new IntercomOAuthStandIn(intercom, CLIENT_ID, CLIENT_SECRET);
let t: TestApp;
let publicUrl: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  await intercom.start();
  await oauth.start();
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  t = await startTestApp({
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    INTERCOM_API_URL: intercom.url,
    INTERCOM_TIMEOUT_MS: '1000',
    INTERCOM_CLIENT_ID: CLIENT_ID,
    INTERCOM_CLIENT_SECRET: CLIENT_SECRET,
    INTERCOM_OAUTH_AUTHORIZE_URL: `${oauth.url}/oauth`,
    INTERCOM_OAUTH_TOKEN_URL: `${oauth.url}/auth/eagle/token`,
    LOG_LEVEL: 'trace',
  });
});
afterEach(() => {
  oauth.tokenFault = null;
  oauth.approving = null;
});
afterAll(async () => {
  await t?.close();
  await oauth.stop();
  await intercom.stop();
});

let seq = 0;
const workspace = (over: Partial<{ id_code: string; name: string }> = {}) => ({
  id_code: `oa${(seq += 1)}${Date.now().toString(36)}`,
  name: `OAuth Workspace ${seq}`,
  region: 'US',
  identity_verification: true,
  ...over,
});

async function tenantWithAdmin(appId?: string) {
  const tenant = await t.newTenant();
  const { client } = await t.newTenantAdmin(tenant.id);
  if (appId) expect((await client.put(`/api/tenants/${tenant.id}/intercom/app-id`, { appId })).status).toBe(200);
  return { tenant, admin: client, start: `/api/tenants/${tenant.id}/intercom/connection/oauth` };
}

/** What the browser does: open the authorize URL, get sent back with code and state. */
async function approveAt(authorizeUrl: string): Promise<{ code: string; state: string; redirect: URL }> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const redirect = new URL(res.headers.get('location')!);
  return { code: redirect.searchParams.get('code')!, state: redirect.searchParams.get('state')!, redirect };
}

const CALLBACK = '/api/intercom/oauth/callback';

test('connect with Intercom: state bound to the session, https-style redirect from PUBLIC_URL, code traded, workspace proved', async () => {
  const ws = workspace();
  const { tenant, admin, start } = await tenantWithAdmin(ws.id_code);
  expect((await admin.get(`/api/tenants/${tenant.id}/intercom/connection`)).body).toMatchObject({
    connected: false,
    oauthAvailable: true,
  });

  const started = await admin.post(start);
  expect(started.status).toBe(200);
  const authorize = new URL(started.body.authorizeUrl);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${oauth.url}/oauth`);
  expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${publicUrl}/intercom/oauth/callback`);
  expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
  expect(started.body.authorizeUrl).not.toContain(CLIENT_SECRET);

  oauth.approving = ws;
  const { code, state, redirect } = await approveAt(started.body.authorizeUrl);
  expect(redirect.pathname).toBe('/intercom/oauth/callback');
  const done = await admin.post(CALLBACK, { code, state });
  expect(done.status).toBe(200);
  expect(done.body).toEqual({
    tenantId: tenant.id,
    connection: expect.objectContaining({
      connected: true,
      appId: ws.id_code,
      workspaceName: ws.name,
      connectedVia: 'oauth',
      broken: null,
    }),
  });

  // The code was traded with the client credentials, form-encoded, at the token endpoint.
  const trade = oauth.requests.find((r) => r.method === 'POST' && r.body.includes(code))!;
  expect(Object.fromEntries(new URLSearchParams(trade.body))).toEqual({
    code,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  });
  const token = oauth.issued.at(-1)!;
  // ...and the token it got was proved with GET /me, then sealed.
  expect(intercom.requests.some((r) => r.url === '/me' && r.headers.authorization === `Bearer ${token}`)).toBe(true);
  const [row] = await t.db.query(`SELECT ciphertext, connected_via FROM intercom_connections WHERE tenant_id = $1`, [
    tenant.id,
  ]);
  expect(row.connected_via).toBe('oauth');
  expect(row.ciphertext.includes(Buffer.from(token))).toBe(false);

  // Never the token, the code or the client secret in a response, the audit trail or a log line.
  const audit = await t.db.query(`SELECT action, metadata::text AS metadata FROM audit_events WHERE tenant_id = $1`, [
    tenant.id,
  ]);
  expect(audit.map((r: { action: string }) => r.action)).toContain('intercom.connection.connected');
  const everything = [
    JSON.stringify(started.body),
    JSON.stringify(done.body),
    JSON.stringify((await admin.get(`/api/tenants/${tenant.id}/intercom/connection`)).body),
    ...audit.map((r: { metadata: string }) => r.metadata),
    ...t.logs,
  ].join('\n');
  for (const secret of [token, CLIENT_SECRET, code]) expect(everything).not.toContain(secret);
  expect(audit.find((r: { action: string }) => r.action === 'intercom.connection.connected')!.metadata).toContain(
    '"via": "oauth"',
  );
});

test('a state works once: the replayed callback is refused 400 and changes nothing', async () => {
  const ws = workspace();
  const { admin, start } = await tenantWithAdmin(ws.id_code);
  oauth.approving = ws;
  const { code, state } = await approveAt((await admin.post(start)).body.authorizeUrl);
  expect((await admin.post(CALLBACK, { code, state })).status).toBe(200);
  const before = oauth.requests.length;
  const again = await admin.post(CALLBACK, { code, state });
  expect(again.status).toBe(400);
  expect(again.body.code).toBe('intercom_oauth_state_invalid');
  expect(again.body.message).toMatch(/already used.*Start again/);
  expect(oauth.requests.length).toBe(before); // Intercom was not asked again
});

test("another session's state is refused, even the same user's second session, and burns the state", async () => {
  const ws = workspace();
  const { tenant, admin, start } = await tenantWithAdmin(ws.id_code);
  // A second admin of the same tenant (another session) tries to complete the first admin's flow.
  const { client: other } = await t.newTenantAdmin(tenant.id);
  oauth.approving = ws;
  const { code, state } = await approveAt((await admin.post(start)).body.authorizeUrl);
  const res = await other.post(CALLBACK, { code, state });
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('intercom_oauth_state_invalid');
  expect((await admin.get(`/api/tenants/${tenant.id}/intercom/connection`)).body.connected).toBe(false);
  expect((await admin.post(CALLBACK, { code, state })).status).toBe(400);

  // Without a session at all, the callback is a 401 before the state is even looked at.
  const { code: code2, state: state2 } = await approveAt((await admin.post(start)).body.authorizeUrl);
  const stolen = new Client(t.url);
  stolen.setCookie('mv_session', 'not-a-session');
  expect((await stolen.post(CALLBACK, { code: code2, state: state2 })).status).toBe(401);
});

test('an unknown, expired or malformed state, and a missing code, are 400s; Intercom is not asked', async () => {
  const ws = workspace();
  const { tenant, admin, start } = await tenantWithAdmin(ws.id_code);
  oauth.approving = ws;
  const before = oauth.requests.filter((r) => r.method === 'POST').length;

  const unknown = await admin.post(CALLBACK, { code: 'abc123', state: 'x'.repeat(43) });
  expect(unknown).toMatchObject({ status: 400, body: { code: 'intercom_oauth_state_invalid' } });

  const { code, state } = await approveAt((await admin.post(start)).body.authorizeUrl);
  await t.db.query(`UPDATE intercom_oauth_states SET expires_at = now() - interval '1 second' WHERE tenant_id = $1`, [
    tenant.id,
  ]);
  const expired = await admin.post(CALLBACK, { code, state });
  expect(expired).toMatchObject({ status: 400, body: { code: 'intercom_oauth_state_invalid' } });

  const { state: fresh } = await approveAt((await admin.post(start)).body.authorizeUrl);
  const missing = await admin.post(CALLBACK, { state: fresh });
  expect(missing.status).toBe(400);
  expect(String(missing.body.message)).toMatch(/code/);
  const tooLong = await admin.post(CALLBACK, { code: 'c', state: 's'.repeat(500) });
  expect(tooLong.status).toBe(400);

  expect(oauth.requests.filter((r) => r.method === 'POST').length).toBe(before);
  expect((await admin.get(`/api/tenants/${tenant.id}/intercom/connection`)).body.connected).toBe(false);
});

test('a session that ends takes its pending flows with it', async () => {
  const ws = workspace();
  const { tenant, admin, start } = await tenantWithAdmin(ws.id_code);
  await admin.post(start);
  expect(await t.db.query(`SELECT 1 FROM intercom_oauth_states WHERE tenant_id = $1`, [tenant.id])).toHaveLength(1);
  expect((await admin.post('/api/auth/logout')).status).toBeLessThan(300);
  expect(await t.db.query(`SELECT 1 FROM intercom_oauth_states WHERE tenant_id = $1`, [tenant.id])).toHaveLength(0);
});

test('Intercom refusing the code is a 422, Intercom down a 502; nothing is saved either way', async () => {
  const ws = workspace();
  const { tenant, admin, start } = await tenantWithAdmin(ws.id_code);
  const refused = await admin.post(CALLBACK, {
    code: 'a-code-intercom-never-issued',
    state: new URL((await admin.post(start)).body.authorizeUrl).searchParams.get('state'),
  });
  expect(refused.status).toBe(422);
  expect(refused.body.code).toBe('intercom_oauth_code_rejected');
  expect(refused.body.message).toMatch(/Nothing was saved; start "Connect with Intercom" again/);

  oauth.approving = ws;
  oauth.tokenFault = 503;
  const { code, state } = await approveAt((await admin.post(start)).body.authorizeUrl);
  const down = await admin.post(CALLBACK, { code, state });
  expect(down.status).toBe(502);
  expect(down.body.code).toBe('intercom_unavailable');
  expect((await admin.get(`/api/tenants/${tenant.id}/intercom/connection`)).body.connected).toBe(false);
});

test("a workspace other than the tenant's APP_ID is refused 409 and nothing is stored", async () => {
  const ours = workspace();
  const { tenant, admin, start } = await tenantWithAdmin(ours.id_code);
  const theirs = workspace({ name: 'Not Ours Ltd' });
  oauth.approving = theirs;
  const { code, state } = await approveAt((await admin.post(start)).body.authorizeUrl);
  const res = await admin.post(CALLBACK, { code, state });
  expect(res.status).toBe(409);
  expect(res.body.code).toBe('intercom_workspace_mismatch');
  expect(res.body.message).toContain(theirs.id_code);
  expect(JSON.stringify(res.body)).not.toContain(oauth.issued.at(-1)!);
  expect(await t.db.query(`SELECT 1 FROM intercom_connections WHERE tenant_id = $1`, [tenant.id])).toHaveLength(0);
});

test('starting is per tenant: an admin of another tenant gets 404', async () => {
  const { start } = await tenantWithAdmin();
  const { admin: stranger } = await tenantWithAdmin();
  expect((await stranger.post(start)).status).toBe(404);
});

describe('configuration', () => {
  const base = { NODE_ENV: 'production', VAULT_KEYRING: 'k1:x' } as const;
  const problems = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
      return '';
    } catch (err) {
      return (err as { problems?: string[] }).problems?.join('\n') ?? String(err);
    }
  };

  test('client id and secret come together, need PUBLIC_URL, and an https one in production', () => {
    expect(problems({ ...base, INTERCOM_CLIENT_ID: 'abc' })).toMatch(/INTERCOM_CLIENT_SECRET: must be set together/);
    expect(problems({ ...base, INTERCOM_CLIENT_SECRET: 'abcdefgh123' })).toMatch(/INTERCOM_CLIENT_ID: must be set/);
    expect(problems({ ...base, INTERCOM_CLIENT_ID: 'abc', INTERCOM_CLIENT_SECRET: 'abcdefgh123' })).toMatch(
      /PUBLIC_URL: must be set when INTERCOM_CLIENT_ID/,
    );
    const http = problems({
      ...base,
      INTERCOM_CLIENT_ID: 'abc',
      INTERCOM_CLIENT_SECRET: 'abcdefgh123 with spaces',
      PUBLIC_URL: 'http://vault.example.com',
    });
    expect(http).toMatch(/PUBLIC_URL: must be https/);
    expect(http).toMatch(/INTERCOM_CLIENT_SECRET: must be 8 to 256/);
    expect(http).not.toContain('abcdefgh123');
  });

  test('configured: the redirect URL is PUBLIC_URL + /intercom/oauth/callback and the secret prints redacted', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      INTERCOM_CLIENT_ID: 'abc',
      INTERCOM_CLIENT_SECRET: 'abcdefgh123',
      PUBLIC_URL: 'https://vault.example.com/',
    });
    expect(config.intercom.oauth).toMatchObject({
      clientId: 'abc',
      redirectUri: 'https://vault.example.com/intercom/oauth/callback',
      authorizeUrl: null,
      tokenUrl: null,
    });
    expect(JSON.stringify(config)).not.toContain('abcdefgh123');
    expect(loadConfig({ NODE_ENV: 'test' }).intercom.oauth).toBeNull();
  });
});
