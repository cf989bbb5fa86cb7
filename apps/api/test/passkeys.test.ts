import { Client, startTestApp, TestApp } from './harness';
import { SoftAuthenticator } from './webauthn-authenticator';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '20', LOGIN_LOCKOUT_SECONDS: '60' });
});
afterAll(async () => {
  await t.close();
});

type Admin = { client: Client; email: string; password: string; tenant: { id: string } };

async function admin(): Promise<Admin> {
  const tenant = await t.newTenant(`pk-${Math.random().toString(36).slice(2, 8)}`);
  return { ...(await t.newTenantAdmin(tenant.id)), tenant };
}

async function enrol(a: Admin, name?: string): Promise<SoftAuthenticator> {
  const key = new SoftAuthenticator(t.url);
  const options = await a.client.post('/api/auth/passkeys/registration-options');
  expect(options.status).toBe(200);
  const added = await a.client.post('/api/auth/passkeys', { response: key.register(options.body), name });
  expect(added.status).toBe(201);
  return key;
}

/** The password step of a sign-in: a client holding the pending sign-in cookie. */
async function passwordStep(a: Admin): Promise<{ client: Client; methods: string[] }> {
  const client = t.client();
  const res = await client.post('/api/auth/login', { email: a.email, password: a.password });
  expect(res.status).toBe(200);
  expect(res.body.mfaRequired).toBe(true);
  return { client, methods: res.body.methods };
}

const signInOptions = async (c: Client) => {
  const res = await c.post('/api/auth/mfa/verify/passkey/options');
  expect(res.status).toBe(200);
  return res.body;
};

describe('passkeys', () => {
  test('enrol one, and it alone turns MFA on: sign-in asks for it and it completes the sign-in', async () => {
    const a = await admin();
    expect((await a.client.get('/api/auth/me')).body.mfaEnabled).toBe(false);
    const key = await enrol(a, 'Laptop');
    const list = await a.client.get('/api/auth/passkeys');
    expect(list.body.items).toEqual([expect.objectContaining({ name: 'Laptop', lastUsedAt: null, backedUp: false })]);
    // Names and dates only: never the public key or the credential id.
    expect(Object.keys(list.body.items[0]).sort()).toEqual(['backedUp', 'createdAt', 'id', 'lastUsedAt', 'name']);
    expect(JSON.stringify(list.body)).not.toContain(key.id);
    expect((await a.client.get('/api/auth/me')).body.mfaEnabled).toBe(true);

    const { client, methods } = await passwordStep(a);
    expect(methods).toEqual(['passkey']);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    const options = await signInOptions(client);
    expect(options.allowCredentials).toEqual([expect.objectContaining({ id: key.id })]);
    expect(options.rpId).toBe('127.0.0.1');
    const done = await client.post('/api/auth/mfa/verify/passkey', { response: key.authenticate(options) });
    expect(done.status).toBe(200);
    expect(done.body.email).toBe(a.email);
    expect((await client.get(`/api/tenants/${a.tenant.id}`)).status).toBe(200);

    const audit: Array<{ action: string }> = await t.db.query(
      `SELECT action FROM audit_events WHERE actor_email = $1 AND action LIKE 'auth.passkey.%' `,
      [a.email],
    );
    expect(audit.map((r) => r.action).sort()).toEqual(['auth.passkey.added', 'auth.passkey.used']);
    expect((await a.client.get('/api/auth/passkeys')).body.items[0].lastUsedAt).not.toBeNull();
  });

  test('a challenge works once: a replayed assertion and a replayed registration are refused', async () => {
    const a = await admin();
    const key = await enrol(a);
    const { client } = await passwordStep(a);
    const options = await signInOptions(client);
    const response = key.authenticate(options);
    expect((await client.post('/api/auth/mfa/verify/passkey', { response })).status).toBe(200);

    const second = await passwordStep(a);
    const replay = await second.client.post('/api/auth/mfa/verify/passkey', { response });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('passkey_rejected');
    // A fresh assertion over the old challenge (counter moved on) is refused too.
    const stale = await second.client.post('/api/auth/mfa/verify/passkey', { response: key.authenticate(options) });
    expect(stale.status).toBe(401);

    const regOptions = await a.client.post('/api/auth/passkeys/registration-options');
    const other = new SoftAuthenticator(t.url);
    const registration = other.register(regOptions.body);
    expect((await a.client.post('/api/auth/passkeys', { response: registration })).status).toBe(201);
    const again = await a.client.post('/api/auth/passkeys', { response: registration });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/expired or was already used/);
  });

  test('a wrong origin is refused, for registration and for sign-in', async () => {
    const a = await admin();
    const regOptions = await a.client.post('/api/auth/passkeys/registration-options');
    const phished = new SoftAuthenticator(t.url);
    const bad = await a.client.post('/api/auth/passkeys', {
      response: phished.register(regOptions.body, { origin: 'https://vault.evil.example' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/origin/i);
    expect((await a.client.get('/api/auth/passkeys')).body.items).toEqual([]);

    const key = await enrol(a);
    const { client } = await passwordStep(a);
    const options = await signInOptions(client);
    const res = await client.post('/api/auth/mfa/verify/passkey', {
      response: key.authenticate(options, { origin: 'https://vault.evil.example' }),
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('passkey_rejected');
    expect((await client.get('/api/auth/me')).status).toBe(401);
    const failed: Array<{ metadata: { reason: string } }> = await t.db.query(
      `SELECT metadata FROM audit_events WHERE actor_email = $1 AND action = 'auth.passkey.failed'`,
      [a.email],
    );
    expect(failed[0]!.metadata.reason).toMatch(/origin/i);
  });

  test("another account's passkey does not complete this account's sign-in", async () => {
    const victim = await admin();
    await enrol(victim);
    const attacker = await admin();
    const attackerKey = await enrol(attacker);
    const { client } = await passwordStep(victim);
    const options = await signInOptions(client);
    const res = await client.post('/api/auth/mfa/verify/passkey', { response: attackerKey.authenticate(options) });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('passkey_rejected');
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  test('a removed passkey stops working at once; the other one still signs in', async () => {
    const a = await admin();
    const first = await enrol(a, 'first');
    const second = await enrol(a, 'second');
    const items = (await a.client.get('/api/auth/passkeys')).body.items as Array<{ id: string; name: string }>;
    const firstId = items.find((i) => i.name === 'first')!.id;
    const removed = await a.client.delete(`/api/auth/passkeys/${firstId}`);
    expect(removed.status).toBe(200);
    expect((await a.client.delete(`/api/auth/passkeys/${firstId}`)).status).toBe(404);

    const { client } = await passwordStep(a);
    const options = await signInOptions(client);
    expect(options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([second.id]);
    const refused = await client.post('/api/auth/mfa/verify/passkey', { response: first.authenticate(options) });
    expect(refused.status).toBe(401);
    const again = await signInOptions(client);
    expect((await client.post('/api/auth/mfa/verify/passkey', { response: second.authenticate(again) })).status).toBe(
      200,
    );
  });

  test('a cloned authenticator whose counter does not move forward is refused', async () => {
    const a = await admin();
    const key = await enrol(a);
    const clone = key.clone();
    const first = await passwordStep(a);
    expect(
      (
        await first.client.post('/api/auth/mfa/verify/passkey', {
          response: key.authenticate(await signInOptions(first.client)),
        })
      ).status,
    ).toBe(200);
    // The clone is one use behind: it sends the count the original already used.
    const second = await passwordStep(a);
    const res = await second.client.post('/api/auth/mfa/verify/passkey', {
      response: clone.authenticate(await signInOptions(second.client)),
    });
    expect(res.status).toBe(401);
  });

  test('adding and removing a passkey ends the account’s other sessions, not this one', async () => {
    const a = await admin();
    const elsewhere = t.client();
    expect((await elsewhere.post('/api/auth/login', { email: a.email, password: a.password })).status).toBe(200);
    await enrol(a);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    expect((await a.client.get('/api/auth/me')).status).toBe(200);

    const { client } = await passwordStep(a);
    const id = (await a.client.get('/api/auth/passkeys')).body.items[0].id;
    // The enrolling session proved the passkey just now, so removing needs no further step-up.
    expect((await a.client.delete(`/api/auth/passkeys/${id}`)).status).toBe(200);
    expect((await a.client.get('/api/auth/me')).status).toBe(200);
    expect((await a.client.get('/api/auth/me')).body.mfaEnabled).toBe(false);
    // The pending sign-in started before the removal is gone too.
    expect((await client.post('/api/auth/mfa/verify/passkey/options')).status).toBe(401);
  });

  test('rename is per account; another account cannot rename or remove it', async () => {
    const a = await admin();
    await enrol(a, 'old');
    const id = (await a.client.get('/api/auth/passkeys')).body.items[0].id;
    const renamed = await a.client.patch(`/api/auth/passkeys/${id}`, { name: 'YubiKey' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('YubiKey');
    const b = await admin();
    expect((await b.client.patch(`/api/auth/passkeys/${id}`, { name: 'mine' })).status).toBe(404);
    expect((await b.client.delete(`/api/auth/passkeys/${id}`)).status).toBe(404);
    expect((await a.client.patch(`/api/auth/passkeys/${id}`, { name: '' })).status).toBe(400);
    expect((await a.client.get('/api/auth/passkeys')).body.items[0].name).toBe('YubiKey');
  });

  test('a passkey counts for the tenant "require MFA" policy', async () => {
    const withKey = await admin();
    await enrol(withKey);
    const without = await t.newTenantAdmin(withKey.tenant.id);
    await t.db.query(`UPDATE tenants SET require_mfa = true WHERE id = $1`, [withKey.tenant.id]);
    expect((await withKey.client.get(`/api/tenants/${withKey.tenant.id}`)).status).toBe(200);
    const refused = await without.client.get(`/api/tenants/${withKey.tenant.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('tenant_requires_mfa');
  });

  test('under REQUIRE_STAFF_MFA a passkey is enough for staff to get past enrolment', async () => {
    const strict = await startTestApp({ REQUIRE_STAFF_MFA: 'true' });
    try {
      const a = await admin();
      await strict.db.query(`UPDATE users SET is_staff = true WHERE email = $1`, [a.email]);
      const c = strict.client();
      expect((await c.post('/api/auth/login', { email: a.email, password: a.password })).status).toBe(200);
      const blocked = await c.get('/api/tenants');
      expect(blocked.status).toBe(403);
      expect(blocked.body.code).toBe('mfa_enrolment_required');
      const key = new SoftAuthenticator(strict.url);
      const options = await c.post('/api/auth/passkeys/registration-options');
      expect(options.status).toBe(200);
      expect((await c.post('/api/auth/passkeys', { response: key.register(options.body) })).status).toBe(201);
      expect((await c.get('/api/tenants')).status).toBe(200);
      const me = await c.get('/api/auth/me');
      expect(me.body).toMatchObject({ mfaEnabled: true, mfaMethods: ['passkey'], mfaEnrolmentRequired: false });
    } finally {
      await strict.close();
    }
  });

  test('garbage assertions answer 4xx, never 500', async () => {
    const a = await admin();
    await enrol(a);
    const { client } = await passwordStep(a);
    await signInOptions(client);
    for (const response of [
      {},
      { id: 'x', response: { clientDataJSON: 'not base64 json' } },
      { id: 1, response: { clientDataJSON: Buffer.from('{"challenge":{}}').toString('base64url') } },
      { id: 'x', response: null },
    ]) {
      const res = await client.post('/api/auth/mfa/verify/passkey', { response });
      expect(res.status).toBe(401);
    }
    expect((await client.post('/api/auth/mfa/verify/passkey', { response: 'x' })).status).toBe(400);
    expect((await a.client.post('/api/auth/passkeys', { response: { id: 'x' } })).status).toBe(400);
  });
});
