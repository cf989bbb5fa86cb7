import { UsageCounterService } from '../src/tokens/usage-counter.service';
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

  test("a lifetime Intercom's update throttle cannot keep fresh is saved, with a warning in the setup state", async () => {
    const { client, base } = await admin();
    const codes = async () => (await client.get(base)).body.problems.map((p: { code: string }) => p.code);

    expect((await client.patch(`${base}/settings`, { tokenTtlSeconds: 90 })).status).toBe(200);
    const warned = (await client.get(base)).body.problems.find(
      (p: { code: string }) => p.code === 'ttl_under_update_throttle',
    );
    expect(warned).toMatchObject({
      severity: 'warning',
      message: expect.stringMatching(/^Tokens live 90 seconds, .*at least 120 seconds/),
    });

    expect((await client.patch(`${base}/settings`, { tokenTtlSeconds: 120 })).status).toBe(200);
    expect(await codes()).not.toContain('ttl_under_update_throttle');
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

describe('GET .../intercom: the setup state', () => {
  const done = (body: { steps: Array<{ done: boolean }> }) => body.steps.map((s) => s.done);

  test('walks from an empty tenant to all five steps done', async () => {
    const { client, base } = await admin();
    const empty = await client.get(base);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      appId: null,
      identityMode: 'jwt',
      tokenTtlSeconds: 3600,
      rotationPeriodDays: 90,
      reminderLeadDays: 14,
      secret: null,
      secrets: [],
    });
    expect(empty.body.steps.map((s: { id: number; key: string }) => [s.id, s.key])).toEqual([
      [1, 'app_id'],
      [2, 'secret_key'],
      [3, 'messenger_security'],
      [4, 'best_practices'],
      [5, 'identity_verification'],
    ]);
    expect(done(empty.body)).toEqual([false, false, false, false, false]);
    expect(empty.body.problems.map((p: { code: string }) => p.code)).toEqual([
      'no_app_id',
      'no_secret',
      'platform_off',
      'platform_off',
      'platform_off',
    ]);

    await client.put(`${base}/app-id`, { appId: 'https://app.intercom.com/a/inbox/xyz123/inbox/admin' });
    await client.put(`${base}/secret`, { secret: 'a-messenger-secret-0123456789' });
    expect(done((await client.get(base)).body)).toEqual([true, true, false, false, false]);
    await client.put(`${base}/platforms/web`, { securityEnabled: true });
    await client.patch(`${base}/settings`, { tokenTtlSeconds: 1800 });
    expect(done((await client.get(base)).body)).toEqual([true, true, true, true, false]);
    await client.patch(`${base}/settings`, { identityMode: 'jwt' });
    const tested = await client.post(`${base}/test-token`, { user_id: 'u-1', platform: 'web' });
    expect(tested.status).toBe(200);
    await t.app.get(UsageCounterService).flush();
    const all = (await client.get(base)).body;
    expect(done(all)).toEqual([true, true, true, true, true]);
    expect(all.secret).toMatchObject({ version: 1, last4: '6789' });
    expect(all.platforms.web).toMatchObject({ securityEnabled: true });
    expect(all.apiBase).toBe('https://api-iam.intercom.io');
    expect(all.problems.map((p: { code: string }) => p.code).sort()).toEqual([
      'platform_no_traffic',
      'platform_off',
      'platform_off',
    ]);
  });

  test('switching the identity mode undoes step 5 until a token of the new mode is tried', async () => {
    const { client, base } = await admin();
    await client.put(`${base}/app-id`, { appId: 'abc123' });
    await client.put(`${base}/secret`, { secret: 'a-messenger-secret-0123456789' });
    await client.patch(`${base}/settings`, { identityMode: 'jwt' });
    await client.post(`${base}/test-token`, { user_id: 'u-1', platform: 'web' });
    await t.app.get(UsageCounterService).flush();
    expect((await client.get(base)).body.steps[4].done).toBe(true);
    await client.patch(`${base}/settings`, { identityMode: 'hmac' });
    const after = (await client.get(base)).body;
    expect(after.steps[4].done).toBe(false);
    expect(after.problems.map((p: { code: string }) => p.code)).toContain('legacy_hmac');
    const hmac = await client.post(`${base}/test-token`, { user_id: 'u-1', platform: 'web' });
    expect(hmac.body.mode).toBe('hmac');
    await t.app.get(UsageCounterService).flush();
    expect((await client.get(base)).body.steps[4].done).toBe(true);
  });

  test('a staff member viewing a tenant integration is audited; the tenant admin is not', async () => {
    const { client, base, tenantId } = await admin();
    await client.get(base);
    const staff = await t.staff();
    expect((await staff.get(base)).status).toBe(200);
    const events = await staff.get(`/api/audit?tenantId=${tenantId}&action=staff.viewed_integration`);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({ actorKind: 'staff', tenantId });
  });
});
