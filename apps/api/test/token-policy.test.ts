import { startTestApp, TestApp } from './harness';
import { connectedTenant, verifyHs256 } from './token-fixtures';

// Issue 15 items 5, 7 and 8: signed custom attributes and session_duration, declared platforms,
// and the opt-in for user ids that are email addresses; through real HTTP and the real database.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
});
afterAll(async () => {
  await t.close();
});

const token = (apiKey: string, body: unknown) =>
  t.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${apiKey}` });

const ALLOW_LIST = [
  { name: 'plan', type: 'string', maxLength: 8 },
  { name: 'seats', type: 'number' },
  { name: 'trial', type: 'boolean' },
];

async function tenantWith(settings: object, mode?: 'jwt' | 'hmac') {
  const tenant = await connectedTenant(t, mode ? { mode } : {});
  const res = await tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, settings);
  expect(res.status).toBe(200);
  return tenant;
}

describe('signed custom attributes (item 5)', () => {
  test('allow-listed attributes are signed as top-level claims with their JSON types', async () => {
    const tenant = await tenantWith({ customAttributes: ALLOW_LIST });
    const res = await token(tenant.apiKey, {
      user_id: '42',
      platform: 'web',
      custom_attributes: { plan: 'pro', seats: 12, trial: false },
    });
    expect(res.status).toBe(200);
    const { payload } = verifyHs256(res.body.token, tenant.secret)!;
    expect(payload).toMatchObject({ user_id: '42', plan: 'pro', seats: 12, trial: false });
    expect(payload).not.toHaveProperty('custom_attributes');
  });

  test('an unknown name, a wrong type and an over-long string are each a 400 naming the attribute', async () => {
    const tenant = await tenantWith({ customAttributes: ALLOW_LIST });
    const res = await token(tenant.apiKey, {
      user_id: '42',
      platform: 'web',
      custom_attributes: { plan: 'enterprise', seats: '12', role: 'admin' },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields).sort()).toEqual([
      'custom_attributes.plan',
      'custom_attributes.role',
      'custom_attributes.seats',
    ]);
    expect(res.body.fields['custom_attributes.plan'][0]).toMatch(/at most 8 characters/);
    expect(res.body.fields['custom_attributes.seats'][0]).toMatch(/must be a number/);
    expect(res.body.fields['custom_attributes.role'][0]).toMatch(/not in this tenant's custom attribute allow-list/);
  });

  test('more entries than the allow-list: the unknown names are still named; thousands of keys are one 400 with a bounded answer', async () => {
    const tenant = await tenantWith({ customAttributes: ALLOW_LIST });
    const res = await token(tenant.apiKey, {
      user_id: '42',
      platform: 'web',
      custom_attributes: { plan: 'pro', seats: 1, trial: true, team: 'x' },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields).sort()).toEqual(['custom_attributes', 'custom_attributes.team']);
    const many = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, i]));
    const big = await token(tenant.apiKey, { user_id: '42', platform: 'web', custom_attributes: many });
    expect(big.status).toBe(400);
    expect(Object.keys(big.body.fields).length).toBeLessThanOrEqual(50);
  });

  test('prototype names in the request are refused, never reach the claims', async () => {
    const tenant = await tenantWith({ customAttributes: ALLOW_LIST });
    const res = await t
      .client(null)
      .post(
        '/v1/intercom/token',
        '{"user_id":"42","platform":"web","custom_attributes":{"constructor":"x","toString":"y"}}',
        {
          authorization: `Bearer ${tenant.apiKey}`,
          'content-type': 'application/json',
        },
      );
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields).sort()).toEqual([
      'custom_attributes.constructor',
      'custom_attributes.toString',
    ]);
  });

  test('a tenant without an allow-list refuses custom_attributes and says where to add them', async () => {
    const tenant = await connectedTenant(t);
    const res = await token(tenant.apiKey, { user_id: '42', platform: 'web', custom_attributes: { plan: 'pro' } });
    expect(res.status).toBe(400);
    expect(res.body.fields.custom_attributes[0]).toMatch(/allow-list in the setup wizard/);
  });

  test('legacy HMAC mode refuses custom_attributes: it cannot sign them', async () => {
    const tenant = await tenantWith({ customAttributes: ALLOW_LIST }, 'hmac');
    const res = await token(tenant.apiKey, { user_id: '42', platform: 'web', custom_attributes: { plan: 'pro' } });
    expect(res.status).toBe(400);
    expect(res.body.fields.custom_attributes[0]).toMatch(/legacy HMAC/);
    expect((await token(tenant.apiKey, { user_id: '42', platform: 'web' })).status).toBe(200);
  });

  test('the allow-list refuses reserved, prototype, malformed and duplicate names, naming each', async () => {
    const tenant = await connectedTenant(t);
    const patch = (customAttributes: unknown) =>
      tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, { customAttributes });
    for (const [name, why] of [
      ['exp', /reserved/],
      ['user_id', /reserved/],
      ['constructor', /reserved/],
      ['session_duration', /reserved/],
      ['9lives', /starts with a letter/],
      ['has space', /starts with a letter/],
    ] as const) {
      const res = await patch([{ name, type: 'string' }]);
      expect(res.status).toBe(400);
      expect(res.body.fields.customAttributes.join(' ')).toMatch(why);
    }
    const dup = await patch([
      { name: 'plan', type: 'string' },
      { name: 'plan', type: 'number' },
    ]);
    expect(dup.body.fields.customAttributes[0]).toMatch(/listed twice/);
    expect((await patch([{ name: 'plan', type: 'date' }])).status).toBe(400);
    expect((await patch([{ name: 'seats', type: 'number', maxLength: 3 }])).body.fields.customAttributes[0]).toMatch(
      /string attributes only/,
    );
    expect((await patch([{ name: 'plan', type: 'string', extra: 1 }])).status).toBe(400);
    const stored: Array<{ custom_attributes: unknown }> = await t.db.query(
      `SELECT custom_attributes FROM intercom_settings WHERE tenant_id = $1`,
      [tenant.tenantId],
    );
    expect(stored[0]!.custom_attributes).toEqual([]);
  });
});

describe('session_duration (item 5)', () => {
  test('the policy is returned in milliseconds with every token, and cleared with null', async () => {
    const tenant = await tenantWith({ sessionDurationSeconds: 1800 });
    const res = await token(tenant.apiKey, { user_id: '42', platform: 'web' });
    expect(res.status).toBe(200);
    expect(res.body.session_duration).toBe(1_800_000);
    // Never a claim: Intercom would store it as a user attribute.
    expect(verifyHs256(res.body.token, tenant.secret)!.payload).not.toHaveProperty('session_duration');
    const none = await connectedTenant(t);
    expect((await token(none.apiKey, { user_id: '42', platform: 'web' })).body).not.toHaveProperty('session_duration');
    const cleared = await none.admin.patch(`/api/tenants/${none.tenantId}/intercom/settings`, {
      sessionDurationSeconds: null,
    });
    expect(cleared.body.sessionDurationSeconds).toBeNull();
  });

  test("below Intercom's 5-minute minimum or above 7 days is a 400", async () => {
    const tenant = await connectedTenant(t);
    for (const v of [299, 604_801, 'long']) {
      const res = await tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, {
        sessionDurationSeconds: v,
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.fields)).toContain('sessionDurationSeconds');
    }
  });
});

describe('user ids that are email addresses (item 8)', () => {
  test('refused by default with a message pointing to the setting; allowed after the audited opt-in', async () => {
    const tenant = await connectedTenant(t);
    const body = { user_id: 'ada@example.com', platform: 'web' };
    const refused = await token(tenant.apiKey, body);
    expect(refused.status).toBe(400);
    expect(refused.body.fields.user_id[0]).toMatch(/Users identified by email/);

    const on = await tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, {
      allowEmailUserIds: true,
    });
    expect(on.body.allowEmailUserIds).toBe(true);
    const events: Array<{ action: string }> = await t.db.query(
      `SELECT action FROM audit_events WHERE tenant_id = $1 AND action LIKE 'intercom.email_user_ids.%'`,
      [tenant.tenantId],
    );
    expect(events.map((e) => e.action)).toEqual(['intercom.email_user_ids.allowed']);

    let res = await token(tenant.apiKey, body);
    // Other replicas hear of the change through the change bus; this one at once, but allow a beat.
    for (let i = 0; i < 20 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await token(tenant.apiKey, body);
    }
    expect(res.status).toBe(200);
    expect(verifyHs256(res.body.token, tenant.secret)!.payload.user_id).toBe('ada@example.com');

    const test = await tenant.admin.post(`/api/tenants/${tenant.tenantId}/intercom/test-token`, body);
    expect(test.status).toBe(200);
  });
});

describe('declared platforms (item 7)', () => {
  const step3 = async (admin: Awaited<ReturnType<typeof connectedTenant>>) =>
    (await admin.admin.get(`/api/tenants/${admin.tenantId}/intercom`)).body.steps.find(
      (s: { id: number }) => s.id === 3,
    ).done;

  test('step 3 is done only when every declared platform is protected', async () => {
    const tenant = await connectedTenant(t);
    const base = `/api/tenants/${tenant.tenantId}/intercom`;
    await tenant.admin.put(`${base}/platforms/web`, { securityEnabled: true });
    expect(await step3(tenant)).toBe(true);
    const declared = await tenant.admin.patch(`${base}/settings`, { declaredPlatforms: ['ios', 'web'] });
    expect(declared.body.declaredPlatforms).toEqual(['ios', 'web']);
    expect(await step3(tenant)).toBe(false);
    const setup = (await tenant.admin.get(base)).body;
    expect(setup.declaredPlatforms).toEqual(['web', 'ios']);
    // Android is not shipped: no warning about it.
    expect(
      setup.problems.filter((p: { code: string }) => p.code === 'platform_off').map((p: any) => p.platform),
    ).toEqual(['ios']);
    await tenant.admin.put(`${base}/platforms/ios`, { securityEnabled: true });
    expect(await step3(tenant)).toBe(true);
  });

  test('declaring platforms or the email opt-in alone does not mark step 4 saved', async () => {
    const tenant = await connectedTenant(t);
    const base = `/api/tenants/${tenant.tenantId}/intercom`;
    await tenant.admin.patch(`${base}/settings`, { declaredPlatforms: ['web'] });
    await tenant.admin.patch(`${base}/settings`, { allowEmailUserIds: true });
    const setup = (await tenant.admin.get(base)).body;
    expect(setup.settingsSavedAt).toBeNull();
    expect(setup.steps[3].done).toBe(false);
    await tenant.admin.patch(`${base}/settings`, { sessionDurationSeconds: 600 });
    expect((await tenant.admin.get(base)).body.steps[3].done).toBe(true);
  });

  test('an empty list, an unknown platform or a repeat is a 400', async () => {
    const tenant = await connectedTenant(t);
    for (const declaredPlatforms of [[], ['tv'], ['web', 'web'], 'web']) {
      const res = await tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, { declaredPlatforms });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.fields)).toContain('declaredPlatforms');
    }
  });
});

test("one tenant's admin cannot change another tenant's token policy", async () => {
  const a = await connectedTenant(t);
  const b = await connectedTenant(t);
  const res = await a.admin.patch(`/api/tenants/${b.tenantId}/intercom/settings`, {
    allowEmailUserIds: true,
    customAttributes: ALLOW_LIST,
  });
  expect([403, 404]).toContain(res.status);
  const rows: Array<{ allow_email_user_ids: boolean; custom_attributes: unknown[] }> = await t.db.query(
    `SELECT allow_email_user_ids, custom_attributes FROM intercom_settings WHERE tenant_id = $1`,
    [b.tenantId],
  );
  expect(rows[0]).toEqual({ allow_email_user_ids: false, custom_attributes: [] });
});

test('the OpenAPI document describes custom_attributes, session_duration and the new settings', async () => {
  const schemas = (await t.client().get('/api/docs-json')).body.components.schemas;
  expect(schemas.TokenRequestDto.properties.custom_attributes.type).toBe('object');
  expect(schemas.TokenResponseDto.properties.session_duration.type).toBe('integer');
  expect(Object.keys(schemas.UpdateSettingsDto.properties)).toEqual(
    expect.arrayContaining(['customAttributes', 'sessionDurationSeconds', 'declaredPlatforms', 'allowEmailUserIds']),
  );
  expect(schemas.CustomAttributeRuleDto.properties.type.enum).toEqual(['string', 'number', 'boolean']);
});
