import { execFileSync } from 'node:child_process';
import { Client, startTestApp, TestApp } from './harness';
import { connectedTenant, verifyHs256 } from './token-fixtures';
import { UsageCounterService } from '../src/tokens/usage-counter.service';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
});
afterAll(async () => {
  await t.close();
});

const issue = (c: Client, key: string | null, body: unknown) =>
  c.post('/v1/intercom/token', body, key === null ? {} : { authorization: `Bearer ${key}` });

describe('POST /v1/intercom/token', () => {
  test('JWT mode: the token verifies with an independent HS256 check and carries user_id and an exp within the TTL', async () => {
    const tenant = await connectedTenant(t, { ttl: 900 });
    const before = Math.floor(Date.now() / 1000);
    const res = await issue(t.client(null), tenant.apiKey, {
      user_id: '42',
      email: 'ada@example.com',
      name: 'Ada',
      platform: 'web',
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['app_id', 'expires_at', 'token']);
    expect(res.body.app_id).toBe(tenant.appId);
    const verified = verifyHs256(res.body.token, tenant.secret);
    expect(verified).not.toBeNull();
    expect(verified!.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(verified!.payload).toMatchObject({ user_id: '42', email: 'ada@example.com', name: 'Ada' });
    expect(verified!.payload.exp - verified!.payload.iat).toBe(900);
    expect(verified!.payload.iat).toBeGreaterThanOrEqual(before);
    expect(res.body.expires_at).toBe(new Date(verified!.payload.exp * 1000).toISOString());
  });

  test('HMAC mode returns the same lowercase hex as openssl dgst -sha256 -hmac', async () => {
    const tenant = await connectedTenant(t, { mode: 'hmac' });
    const res = await issue(t.client(null), tenant.apiKey, { user_id: 'user-7', platform: 'ios' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['app_id', 'user_hash']);
    const openssl = execFileSync('openssl', ['dgst', '-sha256', '-hmac', tenant.secret], {
      input: 'user-7',
    }).toString();
    expect(openssl.trim().split(' ').pop()).toBe(res.body.user_hash);
    expect(res.body.user_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("each API key signs only with its own tenant's secret", async () => {
    const a = await connectedTenant(t);
    const b = await connectedTenant(t);
    const fromA = await issue(t.client(null), a.apiKey, { user_id: 'same-user', platform: 'web' });
    const fromB = await issue(t.client(null), b.apiKey, { user_id: 'same-user', platform: 'web' });
    expect(verifyHs256(fromA.body.token, a.secret)).not.toBeNull();
    expect(verifyHs256(fromA.body.token, b.secret)).toBeNull();
    expect(verifyHs256(fromB.body.token, b.secret)).not.toBeNull();
    expect(fromB.body.app_id).toBe(b.appId);
  });

  test('a missing, malformed, wrong or revoked key gets 401', async () => {
    const tenant = await connectedTenant(t);
    const body = { user_id: '1', platform: 'web' };
    expect((await issue(t.client(null), null, body)).status).toBe(401);
    expect((await issue(t.client(null), 'not-a-key', body)).status).toBe(401);
    const wrong = tenant.apiKey.slice(0, -4) + 'AAAA';
    expect((await issue(t.client(null), wrong, body)).status).toBe(401);
    expect((await issue(t.client(null), tenant.apiKey, body)).status).toBe(200);
    const list = await tenant.admin.get(`/api/tenants/${tenant.tenantId}/api-keys`);
    expect(
      (await tenant.admin.delete(`/api/tenants/${tenant.tenantId}/api-keys/${list.body.items[0].id}`)).status,
    ).toBe(200);
    const revoked = await issue(t.client(null), tenant.apiKey, body);
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toMatch(/revoked/);
  });

  test('bad bodies get 400 with a message per field, never 500', async () => {
    const tenant = await connectedTenant(t);
    const c = t.client(null);
    const cases: Array<[unknown, string]> = [
      [{ platform: 'web' }, 'user_id'],
      [{ user_id: '', platform: 'web' }, 'user_id'],
      [{ user_id: 42, platform: 'web' }, 'user_id'],
      [{ user_id: 'ada@example.com', platform: 'web' }, 'user_id'],
      [{ user_id: '1', platform: 'windows' }, 'platform'],
      [{ user_id: '1', platform: 'web', email: 'not-an-email' }, 'email'],
      [{ user_id: 'x'.repeat(300), platform: 'web' }, 'user_id'],
      [{ user_id: '1', platform: 'web', admin: true }, 'admin'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await issue(c, tenant.apiKey, body);
      expect({ body, status: res.status, hasField: Object.keys(res.body.fields ?? {}).includes(field) }).toEqual({
        body,
        status: 400,
        hasField: true,
      });
    }
    const notJson = await c.post('/v1/intercom/token', '{"user_id":', {
      authorization: `Bearer ${tenant.apiKey}`,
      'content-type': 'application/json',
    });
    expect(notJson.status).toBe(400);
    const huge = await issue(c, tenant.apiKey, { user_id: '1', platform: 'web', name: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
  });

  test('409 with a clear message when the tenant has no APP_ID or no active key for the platform', async () => {
    const tenant = await t.newTenant();
    const { client: admin } = await t.newTenantAdmin(tenant.id);
    const key = (await admin.post(`/api/tenants/${tenant.id}/api-keys`, { name: 'k' })).body.key;
    const noAppId = await issue(t.client(null), key, { user_id: '1', platform: 'web' });
    expect(noAppId.status).toBe(409);
    expect(noAppId.body.message).toMatch(/APP_ID/);
    await admin.put(`/api/tenants/${tenant.id}/intercom/app-id`, { appId: 'abc123' });
    const noKey = await issue(t.client(null), key, { user_id: '1', platform: 'web' });
    expect(noKey.status).toBe(409);
    await admin.put(`/api/tenants/${tenant.id}/intercom/secret`, { secret: 'a'.repeat(32), platforms: ['ios'] });
    expect((await issue(t.client(null), key, { user_id: '1', platform: 'ios' })).status).toBe(200);
    const android = await issue(t.client(null), key, { user_id: '1', platform: 'android' });
    expect(android.status).toBe(409);
    expect(android.body.message).toMatch(/android/i);
  });

  test('issuance is counted per platform and flushed to Postgres in aggregate', async () => {
    const tenant = await connectedTenant(t);
    for (let i = 0; i < 5; i++)
      await issue(t.client(null), tenant.apiKey, { user_id: String(i), platform: i < 3 ? 'web' : 'android' });
    await t.app.get(UsageCounterService).flush();
    const rows: Array<{ platform: string; count: string }> = await t.db.query(
      `SELECT platform, sum(count) AS count FROM token_usage WHERE tenant_id = $1 GROUP BY platform ORDER BY platform`,
      [tenant.tenantId],
    );
    expect(rows.map((r) => [r.platform, Number(r.count)])).toEqual([
      ['android', 2],
      ['web', 3],
    ]);
    const keys = await tenant.admin.get(`/api/tenants/${tenant.tenantId}/api-keys`);
    expect(keys.body.items[0].lastUsedAt).not.toBeNull();
  });
});

describe('API keys', () => {
  test('the full key appears only in the 201 answer; the list shows prefixes', async () => {
    const tenant = await t.newTenant();
    const { client } = await t.newTenantAdmin(tenant.id);
    const created = await client.post(`/api/tenants/${tenant.id}/api-keys`, { name: '  Production backend ' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^mvk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    const list = await client.get(`/api/tenants/${tenant.id}/api-keys`);
    expect(list.body.items).toEqual([
      {
        id: created.body.id,
        name: 'Production backend',
        prefix: created.body.prefix,
        createdAt: created.body.createdAt,
        lastUsedAt: null,
        revokedAt: null,
      },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    const rows: Array<{ key_hash: Buffer }> = await t.db.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [
      created.body.id,
    ]);
    expect(rows[0]!.key_hash.toString('utf8')).not.toContain(created.body.key);
  });

  test('a name is required and an unknown key id answers 404', async () => {
    const tenant = await t.newTenant();
    const { client } = await t.newTenantAdmin(tenant.id);
    const bad = await client.post(`/api/tenants/${tenant.id}/api-keys`, { name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.name[0]).toMatch(/1 to 100/);
    expect(
      (await client.delete(`/api/tenants/${tenant.id}/api-keys/00000000-0000-4000-8000-000000000000`)).status,
    ).toBe(404);
  });

  test("a revoked key can't be used from another replica either", async () => {
    const other = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const tenant = await connectedTenant(t);
      const body = { user_id: '1', platform: 'web' };
      expect((await issue(other.client(null), tenant.apiKey, body)).status).toBe(200);
      const id = (await tenant.admin.get(`/api/tenants/${tenant.tenantId}/api-keys`)).body.items[0].id;
      await tenant.admin.delete(`/api/tenants/${tenant.tenantId}/api-keys/${id}`);
      let status = 200;
      for (let i = 0; i < 20 && status === 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await issue(other.client(null), tenant.apiKey, body)).status;
      }
      expect(status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

test('a settings change or an archive made on one replica reaches the token config cached by another', async () => {
  // The cache keeps a tenant's config for a minute: only the "settings changed" event explains a
  // change seen within a second.
  const other = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
  const body = { user_id: '1', platform: 'web' };
  const ttlSeen = async () => {
    const res = await issue(other.client(null), tenant.apiKey, body);
    if (res.status !== 200) return res.status;
    const { payload } = verifyHs256(res.body.token, tenant.secret)!;
    return payload.exp - payload.iat;
  };
  const until = async (want: number) => {
    let seen = await ttlSeen();
    for (let i = 0; i < 20 && seen !== want; i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await ttlSeen();
    }
    return seen;
  };
  const tenant = await connectedTenant(t, { ttl: 900 });
  try {
    expect(await ttlSeen()).toBe(900);
    const changed = await tenant.admin.patch(`/api/tenants/${tenant.tenantId}/intercom/settings`, {
      tokenTtlSeconds: 1200,
    });
    expect(changed.status).toBe(200);
    expect(await until(1200)).toBe(1200);
    await (await t.staff()).patch(`/api/tenants/${tenant.tenantId}`, { archived: true });
    expect(await until(401)).toBe(401);
  } finally {
    await other.close();
  }
});

test('archiving a tenant stops its API keys at once; restoring it brings them back', async () => {
  const tenant = await connectedTenant(t);
  const body = { user_id: '1', platform: 'web' };
  expect((await issue(t.client(null), tenant.apiKey, body)).status).toBe(200);
  const staff = await t.staff();
  await staff.patch(`/api/tenants/${tenant.tenantId}`, { archived: true });
  const refused = await issue(t.client(null), tenant.apiKey, body);
  expect(refused.status).toBe(401);
  expect(refused.body.message).toMatch(/archived/);
  await staff.patch(`/api/tenants/${tenant.tenantId}`, { archived: false });
  expect((await issue(t.client(null), tenant.apiKey, body)).status).toBe(200);
});
