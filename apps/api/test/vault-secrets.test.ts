import { randomBytes } from 'node:crypto';
import { startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** A plausible Messenger API secret key: 40 printable characters with no whitespace. */
const newSecret = () => `sk_${randomBytes(24).toString('base64url')}`;

async function tenantWithAdmin() {
  const tenant = await t.newTenant();
  const { client } = await t.newTenantAdmin(tenant.id);
  return { tenant, admin: client, base: `/api/tenants/${tenant.id}/intercom` };
}

describe('saving a secret key', () => {
  test('a tenant admin saves a key: 201 with version 1, all three platforms, fingerprint, last4 and due date', async () => {
    const { admin, base } = await tenantWithAdmin();
    const secret = newSecret();
    const res = await admin.put(`${base}/secret`, { secret: `  ${secret}\n` });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(
      ['createdAt', 'fingerprint', 'last4', 'platforms', 'rotationDueAt', 'version'].sort(),
    );
    expect(res.body).toMatchObject({ version: 1, platforms: ['web', 'ios', 'android'], last4: secret.slice(-4) });
    expect(res.body.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    const due = Date.parse(res.body.rotationDueAt) - Date.parse(res.body.createdAt);
    expect(due).toBe(90 * 86_400_000);
  });

  test('versions number 1, 2, 3 per tenant, and concurrent saves never collide', async () => {
    const { admin, base } = await tenantWithAdmin();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => admin.put(`${base}/secret`, { secret: newSecret() })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const other = await tenantWithAdmin();
    expect((await other.admin.put(`${other.base}/secret`, { secret: newSecret() })).body.version).toBe(1);
  });

  test.each([
    [{ secret: 'short-key' }, 'secret', /16 to 512 characters/],
    [{ secret: 'x'.repeat(513) }, 'secret', /16 to 512 characters/],
    [{ secret: 'abcdefgh ijklmnopqrst' }, 'secret', /spaces, tabs or line breaks inside/],
    [{ secret: 'abcdefgh\tijklmnopqrst' }, 'secret', /spaces, tabs or line breaks inside/],
    [{ secret: 'abcdefghijklmnopqrsté' }, 'secret', /printable ASCII/],
    [{ secret: 1234567890123456 }, 'secret', /must be a string/],
    [{}, 'secret', /must be a string/],
    [{ secret: 'a'.repeat(20), platforms: [] }, 'platforms', /at least one of web, ios and android/],
    [{ secret: 'a'.repeat(20), platforms: ['web', 'web'] }, 'platforms', /only once/],
    [{ secret: 'a'.repeat(20), platforms: ['desktop'] }, 'platforms', /"web", "ios" and "android"/],
    [{ secret: 'a'.repeat(20), platforms: 'web' }, 'platforms', /must be a list/],
    [{ secret: 'a'.repeat(20), extra: 1 }, 'extra', /not a field this endpoint accepts/],
  ])('%j gets 400 naming what is wrong with %s, and stores nothing', async (body, field, message) => {
    const { tenant, admin, base } = await tenantWithAdmin();
    const res = await admin.put(`${base}/secret`, body);
    expect(res.status).toBe(400);
    expect(res.body.fields[field].join(' ')).toMatch(message);
    const rows: unknown[] = await t.db.query(`SELECT 1 FROM secret_versions WHERE tenant_id = $1`, [tenant.id]);
    expect(rows).toHaveLength(0);
  });

  test('a rejected secret is never quoted back in the error', async () => {
    const { admin, base } = await tenantWithAdmin();
    const canary = `canary-${randomBytes(6).toString('hex')} inner-space`;
    const res = await admin.put(`${base}/secret`, { secret: canary });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('canary-');
  });
});

describe('rotation: states and retiring', () => {
  test('a newer key for every platform makes the old one previous; the newest is shown as the signing secret', async () => {
    const { admin, base } = await tenantWithAdmin();
    await admin.put(`${base}/secret`, { secret: newSecret() });
    const second = await admin.put(`${base}/secret`, { secret: newSecret() });
    const res = await admin.get(base);
    expect(res.status).toBe(200);
    expect(res.body.secret).toEqual({
      version: 2,
      fingerprint: second.body.fingerprint,
      last4: second.body.last4,
      createdAt: second.body.createdAt,
      rotationDueAt: second.body.rotationDueAt,
    });
    expect(res.body.secrets.map((s: { version: number; state: string }) => [s.version, s.state])).toEqual([
      [2, 'active'],
      [1, 'previous'],
    ]);
    expect(res.body.secrets[1]).toMatchObject({ signingPlatforms: [], rotationDueAt: null, retiredAt: null });
    expect(res.body.secrets[0].masterKeyId).toBe('test-k1');
  });

  test('a key for some platforms leaves the old one active for the rest; retiring it is refused until replaced', async () => {
    const { admin, base } = await tenantWithAdmin();
    await admin.put(`${base}/secret`, { secret: newSecret() });
    await admin.put(`${base}/secret`, { secret: newSecret(), platforms: ['ios', 'web'] });
    const listed = (await admin.get(base)).body.secrets;
    expect(listed[0]).toMatchObject({ version: 2, platforms: ['web', 'ios'], signingPlatforms: ['web', 'ios'] });
    expect(listed[1]).toMatchObject({ version: 1, state: 'active', signingPlatforms: ['android'] });

    const refused = await admin.post(`${base}/secrets/1/retire`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('secret_still_signing');
    expect(refused.body.message).toMatch(/still signs tokens for Android/);
    expect(refused.body.message).toMatch(/Save the replacement key for Android first/);

    await admin.put(`${base}/secret`, { secret: newSecret(), platforms: ['android'] });
    const retired = await admin.post(`${base}/secrets/1/retire`);
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ version: 1, state: 'retired', signingPlatforms: [], rotationDueAt: null });
    expect(Date.parse(retired.body.retiredAt)).toBeGreaterThan(Date.now() - 60_000);
    // Retiring again changes nothing and still answers with the version.
    const again = await admin.post(`${base}/secrets/1/retire`);
    expect(again.status).toBe(200);
    expect(again.body.retiredAt).toBe(retired.body.retiredAt);
  });

  test('retiring the only signing key is refused with 409, an unknown version is 404, a bad one 400', async () => {
    const { admin, base } = await tenantWithAdmin();
    await admin.put(`${base}/secret`, { secret: newSecret() });
    const refused = await admin.post(`${base}/secrets/1/retire`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/web, iOS and Android/);
    const missing = await admin.post(`${base}/secrets/7/retire`);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/no secret version 7/);
    const bad = await admin.post(`${base}/secrets/two/retire`);
    expect(bad.status).toBe(400);
    expect(bad.body.fields.version[0]).toMatch(/whole number/);
  });

  test('the intercom page of a tenant without a key shows secret null and no versions', async () => {
    const { admin, base } = await tenantWithAdmin();
    const res = await admin.get(base);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ secret: null, secrets: [] });
  });

  test('each version says who saved it, and the due date follows the rotation policy in force now', async () => {
    const { tenant, base } = await tenantWithAdmin();
    const staff = await t.staff();
    await staff.put(`${base}/secret`, { secret: newSecret() });
    await t.db.query(
      `INSERT INTO intercom_settings (tenant_id, rotation_period_days, reminder_lead_days) VALUES ($1, 30, 7)`,
      [tenant.id],
    );
    const res = await staff.get(base);
    const [version] = res.body.secrets;
    expect(version.createdBy).toBe('staff@messenger-vault.test');
    expect(Date.parse(version.rotationDueAt) - Date.parse(version.createdAt)).toBe(30 * 86_400_000);
    expect(res.body.secret.rotationDueAt).toBe(version.rotationDueAt);
  });

  test('saving and retiring are in the audit trail with who did it and the fingerprint, never the secret', async () => {
    const { tenant, admin, base } = await tenantWithAdmin();
    const first = newSecret();
    const saved = await admin.put(`${base}/secret`, { secret: first });
    await admin.put(`${base}/secret`, { secret: newSecret() });
    await admin.post(`${base}/secrets/1/retire`);
    const events: Array<{ action: string; actor_kind: string; target_type: string; metadata: object; text: string }> =
      await t.db.query(
        `SELECT action, actor_kind, target_type, metadata, row_to_json(e)::text AS text
           FROM audit_events e WHERE tenant_id = $1 AND action LIKE 'intercom.secret.%' ORDER BY seq`,
        [tenant.id],
      );
    expect(events.map((e) => [e.action, e.actor_kind, e.target_type])).toEqual([
      ['intercom.secret.saved', 'user', 'secret_version'],
      ['intercom.secret.saved', 'user', 'secret_version'],
      ['intercom.secret.retired', 'user', 'secret_version'],
    ]);
    expect(events[0]!.metadata).toEqual({
      version: 1,
      platforms: ['web', 'ios', 'android'],
      fingerprint: saved.body.fingerprint,
      superseded: [],
    });
    expect(events[1]!.metadata).toMatchObject({ version: 2, superseded: [1] });
    expect(events.map((e) => e.text).join('\n')).not.toContain(first);
  });

  test('the database refuses platform lists outside web, ios and android, or with repeats', async () => {
    const { tenant, admin, base } = await tenantWithAdmin();
    await admin.put(`${base}/secret`, { secret: newSecret() });
    for (const platforms of [['web', 'web'], ['desktop'], []]) {
      await expect(
        t.db.query(`UPDATE secret_versions SET platforms = $2 WHERE tenant_id = $1`, [tenant.id, platforms]),
      ).rejects.toThrow(/secret_versions_platforms_check/);
    }
  });
});
