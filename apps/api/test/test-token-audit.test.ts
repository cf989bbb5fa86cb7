import { startTestApp, TestApp } from './harness';
import { connectedTenant, type ConnectedTenant } from './token-fixtures';

let t: TestApp;
let tenant: ConnectedTenant;
beforeAll(async () => {
  t = await startTestApp();
  tenant = await connectedTenant(t);
});
afterAll(async () => {
  await t.close();
});

const testToken = (userId: string, platform = 'web') =>
  tenant.admin.post(`/api/tenants/${tenant.tenantId}/intercom/test-token`, { user_id: userId, platform });

async function auditRows(userId: string): Promise<Array<Record<string, unknown>>> {
  return t.db.query(
    `SELECT * FROM audit_events WHERE action = 'token.test_issued' AND tenant_id = $1 AND metadata->>'userId' = $2`,
    [tenant.tenantId, userId],
  );
}

test('a test token is audited as token.test_issued with the user id and platform, never the token', async () => {
  const issued = await testToken('audited-user-7', 'ios');
  expect(issued.status).toBe(200);
  const token: string = issued.body.token;
  expect(token.split('.')).toHaveLength(3);

  const rows = await auditRows('audited-user-7');
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  expect(row).toMatchObject({
    actor_kind: 'user',
    target_type: 'platform',
    target_id: 'ios',
    metadata: { userId: 'audited-user-7', platform: 'ios', mode: 'jwt', secretVersion: 1 },
  });
  expect(row.actor_email).toBe((await tenant.admin.get('/api/auth/me')).body.email);
  // Not the token, nor any of its three parts, anywhere in the row (metadata, hash, columns).
  const stored = JSON.stringify(row);
  for (const part of [token, ...token.split('.')]) expect(stored).not.toContain(part);

  // The tenant's admin reads it over HTTP like any other event.
  const listed = await tenant.admin.get(`/api/audit?tenantId=${tenant.tenantId}&action=token.test_issued`);
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((e: { metadata: unknown }) => e.metadata)).toContainEqual({
    userId: 'audited-user-7',
    platform: 'ios',
    mode: 'jwt',
    secretVersion: 1,
  });
  expect(JSON.stringify(listed.body)).not.toContain(token.split('.')[2]);
  expect(t.logs.join('\n')).not.toContain(token.split('.')[2]);
});

test('in HMAC mode the user hash stays out of the trail too', async () => {
  const mode = await tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, { identityMode: 'hmac' });
  expect(mode.status).toBe(200);
  try {
    const issued = await testToken('hmac-user-8');
    expect(issued.status).toBe(200);
    expect(issued.body.userHash).toMatch(/^[0-9a-f]{64}$/);
    const rows = await auditRows('hmac-user-8');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.metadata).toEqual({ userId: 'hmac-user-8', platform: 'web', mode: 'hmac', secretVersion: 1 });
    expect(JSON.stringify(rows[0])).not.toContain(issued.body.userHash);
  } finally {
    await tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, { identityMode: 'jwt' });
  }
});

test('a refused test-token request leaves no event', async () => {
  const other = await connectedTenant(t);
  const none = await other.admin.post(`/api/tenants/${other.tenantId}/intercom/test-token`, {
    user_id: 'u-none',
    platform: 'bogus',
  });
  expect(none.status).toBe(400);
  const rows: unknown[] = await t.db.query(
    `SELECT 1 FROM audit_events WHERE action = 'token.test_issued' AND tenant_id = $1`,
    [other.tenantId],
  );
  expect(rows).toHaveLength(0);
});
