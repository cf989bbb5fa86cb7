import { startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function admin() {
  const tenant = await t.newTenant();
  const { client } = await t.newTenantAdmin(tenant.id);
  return { tenantId: tenant.id, client, base: `/api/tenants/${tenant.id}/intercom` };
}

describe('step 1: APP_ID', () => {
  test("the guide's example URL gives xyz123", async () => {
    const { client, base } = await admin();
    const res = await client.put(`${base}/app-id`, { appId: 'https://app.intercom.io/a/inbox/xyz123/inbox/admin' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ appId: 'xyz123', region: 'us', apiBase: 'https://api-iam.intercom.io' });
  });

  test('a regional URL picks the regional api_base', async () => {
    const { client, base } = await admin();
    const eu = await client.put(`${base}/app-id`, { appId: 'https://app.eu.intercom.com/a/apps/ab12cd34/settings' });
    expect(eu.body).toEqual({ appId: 'ab12cd34', region: 'eu', apiBase: 'https://api-iam.eu.intercom.io' });
  });

  test('a URL from another site gets 400 naming the problem and the stored APP_ID stays', async () => {
    const { client, base, tenantId } = await admin();
    await client.put(`${base}/app-id`, { appId: 'abc123' });
    const res = await client.put(`${base}/app-id`, { appId: 'https://example.com/a/inbox/xyz123' });
    expect(res.status).toBe(400);
    expect(res.body.fields.appId[0]).toMatch(/example\.com/);
    const rows: Array<{ app_id: string }> = await t.db.query(
      `SELECT app_id FROM intercom_settings WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(rows[0]!.app_id).toBe('abc123');
  });
});

describe('step 3: Messenger Security per platform', () => {
  test('each platform is recorded separately and keeps its first enabled time', async () => {
    const { client, base } = await admin();
    const web = await client.put(`${base}/platforms/web`, { securityEnabled: true });
    expect(web.status).toBe(200);
    expect(web.body).toMatchObject({ platform: 'web', securityEnabled: true });
    const again = await client.put(`${base}/platforms/web`, { securityEnabled: true });
    expect(again.body.enabledAt).toBe(web.body.enabledAt);
    const off = await client.put(`${base}/platforms/ios`, { securityEnabled: false });
    expect(off.body).toEqual({ platform: 'ios', securityEnabled: false, enabledAt: null });
  });

  test('an unknown platform or a non-boolean gets 400', async () => {
    const { client, base } = await admin();
    const tv = await client.put(`${base}/platforms/tv`, { securityEnabled: true });
    expect(tv.status).toBe(400);
    expect(tv.body.fields.platform[0]).toMatch(/web, ios or android/);
    const yes = await client.put(`${base}/platforms/web`, { securityEnabled: 'yes' });
    expect(yes.status).toBe(400);
  });
});

describe('steps 4 and 5: settings', () => {
  test('defaults until saved, then the saved values', async () => {
    const { client, base } = await admin();
    const res = await client.patch(`${base}/settings`, { tokenTtlSeconds: 1800, rotationPeriodDays: 60 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tokenTtlSeconds: 1800,
      rotationPeriodDays: 60,
      reminderLeadDays: 14,
      identityMode: 'jwt',
    });
    expect(res.body.savedAt).not.toBeNull();
  });

  test('out-of-range values get a message per field and nothing is stored', async () => {
    const { client, base, tenantId } = await admin();
    const res = await client.patch(`${base}/settings`, {
      tokenTtlSeconds: 10,
      rotationPeriodDays: 400,
      reminderLeadDays: 0,
      identityMode: 'saml',
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields).sort()).toEqual([
      'identityMode',
      'reminderLeadDays',
      'rotationPeriodDays',
      'tokenTtlSeconds',
    ]);
    expect(
      await t.db.query(`SELECT 1 FROM intercom_settings WHERE tenant_id = $1 AND settings_saved_at IS NOT NULL`, [
        tenantId,
      ]),
    ).toHaveLength(0);
  });

  test('the reminder lead must stay below the rotation period, judged against stored values', async () => {
    const { client, base } = await admin();
    await client.patch(`${base}/settings`, { rotationPeriodDays: 30, reminderLeadDays: 7 });
    const res = await client.patch(`${base}/settings`, { reminderLeadDays: 30 });
    expect(res.status).toBe(400);
    expect(res.body.fields.reminderLeadDays[0]).toMatch(/smaller than rotationPeriodDays \(30\)/);
  });

  test('every change is an audit event for the tenant', async () => {
    const { client, base, tenantId } = await admin();
    await client.put(`${base}/app-id`, { appId: 'abc123' });
    await client.put(`${base}/platforms/android`, { securityEnabled: true });
    await client.patch(`${base}/settings`, { identityMode: 'hmac' });
    await client.post(`/api/tenants/${tenantId}/api-keys`, { name: 'k' });
    const audit = await client.get(`/api/audit?tenantId=${tenantId}`);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    for (const a of [
      'intercom.app_id.set',
      'intercom.platform.changed',
      'intercom.settings.changed',
      'api_key.created',
    ])
      expect(actions).toContain(a);
  });
});
