import {
  CUSTOM_ATTRIBUTE_LIMITS,
  SECRET_LIMITS,
  SESSION_DURATION_LIMITS,
  SETTINGS_LIMITS,
  TOKEN_REQUEST_LIMITS,
} from '@messenger-vault/contracts';
import { parseTokenRequest } from '../src/tokens/token-request';
import { startTestApp, TestApp } from './harness';

// libs/contracts `limits.ts` is the one source; the database, the OpenAPI document, the DTOs and
// the hand-written token check are compared with it here.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const COLUMNS = {
  tokenTtlSeconds: 'token_ttl_seconds',
  rotationPeriodDays: 'rotation_period_days',
  reminderLeadDays: 'reminder_lead_days',
} as const;

test("intercom_settings' CHECK constraints are the settings limits", async () => {
  const rows: Array<{ def: string }> = await t.db.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'intercom_settings'::regclass AND contype = 'c'`,
  );
  const defs = rows.map((r) => r.def).join('\n');
  for (const [field, column] of Object.entries(COLUMNS)) {
    const { min, max } = SETTINGS_LIMITS[field as keyof typeof COLUMNS];
    expect(defs).toContain(`(${column} >= ${min}) AND (${column} <= ${max})`);
  }
});

test("the token policy columns' CHECK constraints are the contracts' limits", async () => {
  const rows: Array<{ def: string }> = await t.db.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'intercom_settings'::regclass AND contype = 'c'`,
  );
  const defs = rows.map((r) => r.def).join('\n');
  const { min, max } = SESSION_DURATION_LIMITS;
  expect(defs).toContain(`(session_duration_seconds >= ${min}) AND (session_duration_seconds <= ${max})`);
  expect(defs).toContain(`jsonb_array_length(custom_attributes) <= ${CUSTOM_ATTRIBUTE_LIMITS.maxAttributes}`);
});

test('the OpenAPI document states the limits the DTOs enforce', async () => {
  const schemas = (await t.client().get('/api/docs-json')).body.components.schemas;
  for (const field of Object.keys(COLUMNS) as Array<keyof typeof COLUMNS>) {
    expect(schemas.UpdateSettingsDto.properties[field]).toMatchObject({
      minimum: SETTINGS_LIMITS[field].min,
      maximum: SETTINGS_LIMITS[field].max,
    });
  }
  expect(schemas.SaveSecretDto.properties.secret).toMatchObject({
    minLength: SECRET_LIMITS.length.min,
    maxLength: SECRET_LIMITS.length.max,
  });
  expect(schemas.TokenRequestDto.properties.user_id.maxLength).toBe(TOKEN_REQUEST_LIMITS.userIdMaxLength);
  expect(schemas.TestTokenDto.properties.user_id.maxLength).toBe(TOKEN_REQUEST_LIMITS.userIdMaxLength);
});

test('the settings and secret endpoints accept each limit and refuse one past it', async () => {
  const tenant = await t.newTenant();
  const { client } = await t.newTenantAdmin(tenant.id);
  const patch = (body: object) => client.patch(`/api/tenants/${tenant.id}/intercom/settings`, body);
  const { tokenTtlSeconds: ttl, rotationPeriodDays: period, reminderLeadDays: lead } = SETTINGS_LIMITS;
  expect(
    (await patch({ tokenTtlSeconds: ttl.max, rotationPeriodDays: period.max, reminderLeadDays: lead.max })).status,
  ).toBe(200);
  expect(
    (await patch({ tokenTtlSeconds: ttl.min, rotationPeriodDays: lead.min + 1, reminderLeadDays: lead.min })).status,
  ).toBe(200);
  for (const [field, value] of [
    ['tokenTtlSeconds', ttl.max + 1],
    ['tokenTtlSeconds', ttl.min - 1],
    ['rotationPeriodDays', period.max + 1],
    ['reminderLeadDays', lead.max + 1],
  ] as const) {
    const res = await patch({ [field]: value });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  }
  const put = (secret: string) => client.put(`/api/tenants/${tenant.id}/intercom/secret`, { secret });
  expect((await put('k'.repeat(SECRET_LIMITS.length.max))).status).toBe(201);
  expect((await put('k'.repeat(SECRET_LIMITS.length.min))).status).toBe(201);
  expect((await put('k'.repeat(SECRET_LIMITS.length.max + 1))).status).toBe(400);
  expect((await put('k'.repeat(SECRET_LIMITS.length.min - 1))).status).toBe(400);
});

test('the token request check uses the same lengths', () => {
  const ok = (body: object) => () => parseTokenRequest({ platform: 'web', ...body });
  const { userIdMaxLength, nameMaxLength, emailMaxLength } = TOKEN_REQUEST_LIMITS;
  expect(ok({ user_id: 'u'.repeat(userIdMaxLength) })).not.toThrow();
  expect(ok({ user_id: 'u'.repeat(userIdMaxLength + 1) })).toThrow();
  expect(ok({ user_id: '1', name: 'n'.repeat(nameMaxLength) })).not.toThrow();
  expect(ok({ user_id: '1', name: 'n'.repeat(nameMaxLength + 1) })).toThrow();
  const email = (n: number) => `${'e'.repeat(n - '@example.com'.length)}@example.com`;
  expect(ok({ user_id: '1', email: email(emailMaxLength) })).not.toThrow();
  expect(ok({ user_id: '1', email: email(emailMaxLength + 1) })).toThrow();
});
