import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../src/config/config';
import { Client, STAFF_EMAIL, STAFF_PASSWORD, startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const sessionOf = (c: Client) => c.cookieHeader.match(/mv_session=([^;]+)/)?.[1];

async function invite(tenantId: string, email: string): Promise<string> {
  const res = await (await t.staff()).post(`/api/tenants/${tenantId}/members`, { email, role: 'admin' });
  expect(res.status).toBe(201);
  return res.body.inviteToken;
}

/** What an accept attempt could have changed: the membership, the invitation, the password hash. */
async function state(tenantId: string, email: string, token: string) {
  const [member]: Array<{ n: number }> = await t.db.query(
    `SELECT count(*)::int AS n FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND u.email = $2`,
    [tenantId, email],
  );
  const [inv]: Array<{ accepted_at: Date | null }> = await t.db.query(
    `SELECT accepted_at FROM invitations WHERE token_hash = $1`,
    [createHash('sha256').update(token).digest()],
  );
  const [user]: Array<{ password_hash: string } | undefined> = await t.db.query(
    `SELECT password_hash FROM users WHERE email = $1`,
    [email],
  );
  return { member: member!.n, accepted: inv!.accepted_at !== null, passwordHash: user?.password_hash ?? null };
}

describe('an invitation for an existing account', () => {
  test('with the right password and no session: 401 sign_in_required, nothing changes, no session', async () => {
    const home = await t.newTenant();
    const target = await t.newTenant();
    const { email, password } = await t.newTenantAdmin(home.id);
    const token = await invite(target.id, email);
    const before = await state(target.id, email, token);

    const anonymous = t.client();
    const res = await anonymous.post('/api/invitations/accept', { token, password });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('sign_in_required');
    expect(res.body.message).toMatch(/Sign in as .* then open the invitation link again/);
    expect(sessionOf(anonymous)).toBeUndefined();
    expect(await state(target.id, email, token)).toEqual(before);
    expect(before).toMatchObject({ member: 0, accepted: false });
  });

  test('no password is checked: a right and a wrong password get the same answer, as many times as asked', async () => {
    const home = await t.newTenant();
    const target = await t.newTenant();
    const { email, password } = await t.newTenantAdmin(home.id);
    const token = await invite(target.id, email);
    const answers = await Promise.all(
      [password, 'wrong-password-1', password, 'wrong-password-2', ...Array(16).fill('guess-guess-guess')].map((p) =>
        t.client().post('/api/invitations/accept', { token, password: p }),
      ),
    );
    expect(new Set(answers.map((a) => `${a.status} ${a.body.code} ${a.body.message}`)).size).toBe(1);
    expect(answers[0]!.status).toBe(401);
    // Guessing here never touches the sign-in throttle or trail: the sign-in route is the only one that checks.
    const failed: unknown[] = await t.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'auth.login.failed' AND actor_email = $1`,
      [email],
    );
    expect(failed).toHaveLength(0);
  });

  test('a tenant admin who invites the staff address cannot sign in as staff through it', async () => {
    const tenant = await t.newTenant();
    const { client: admin } = await t.newTenantAdmin(tenant.id);
    const res = await admin.post(`/api/tenants/${tenant.id}/members`, { email: STAFF_EMAIL, role: 'admin' });
    expect(res.status).toBe(201);
    const attacker = t.client();
    const accepted = await attacker.post('/api/invitations/accept', {
      token: res.body.inviteToken,
      password: STAFF_PASSWORD,
    });
    expect(accepted.status).toBe(401);
    expect(accepted.body.code).toBe('sign_in_required');
    expect(sessionOf(attacker)).toBeUndefined();
    expect((await attacker.get('/api/auth/me')).status).toBe(401);
  });

  test('signed in as that account: the membership is added, without a password, and the session id changes', async () => {
    const home = await t.newTenant();
    const target = await t.newTenant();
    const { email, client } = await t.newTenantAdmin(home.id);
    const token = await invite(target.id, email);
    const oldSession = sessionOf(client)!;
    const before = await state(target.id, email, token);

    const res = await client.post('/api/invitations/accept', { token });
    expect(res.status).toBe(200);
    expect(res.body.memberships.map((m: { tenantId: string }) => m.tenantId).sort()).toEqual(
      [home.id, target.id].sort(),
    );
    const after = await state(target.id, email, token);
    expect(after).toEqual({ member: 1, accepted: true, passwordHash: before.passwordHash });
    expect(sessionOf(client)).not.toBe(oldSession);
    expect((await client.get(`/api/tenants/${target.id}`)).status).toBe(200);
    const replay = new Client(t.url);
    replay.setCookie('mv_session', oldSession);
    expect((await replay.get('/api/auth/me')).status).toBe(401);
  });

  test('signed in as a different account: 403 invitation_wrong_account, nothing changes', async () => {
    const home = await t.newTenant();
    const target = await t.newTenant();
    const { email } = await t.newTenantAdmin(home.id);
    const { client: someoneElse } = await t.newTenantAdmin(home.id);
    const token = await invite(target.id, email);
    const before = await state(target.id, email, token);
    const res = await someoneElse.post('/api/invitations/accept', { token, password: 'whatever-password' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('invitation_wrong_account');
    expect(res.body.message).toMatch(/Sign out/);
    expect(await state(target.id, email, token)).toEqual(before);
    expect((await someoneElse.get('/api/auth/me')).status).toBe(200);
  });

  test('a signed-in staff user cannot accept it for someone else either', async () => {
    const home = await t.newTenant();
    const target = await t.newTenant();
    const { email } = await t.newTenantAdmin(home.id);
    const token = await invite(target.id, email);
    const res = await (await t.staff()).post('/api/invitations/accept', { token });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('invitation_wrong_account');
  });

  test('from a foreign origin with the session cookie: refused by the CSRF check', async () => {
    const home = await t.newTenant();
    const target = await t.newTenant();
    const { email, client } = await t.newTenantAdmin(home.id);
    const token = await invite(target.id, email);
    const evil = new Client(t.url, 'https://evil.example');
    evil.setCookie('mv_session', sessionOf(client)!);
    const res = await evil.post('/api/invitations/accept', { token });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('csrf_rejected');
    expect((await state(target.id, email, token)).member).toBe(0);
  });
});

describe('an invitation for a new email', () => {
  test('needs a password: without one, 400 naming the field, and the link stays usable', async () => {
    const tenant = await t.newTenant();
    const email = `new-${randomUUID()}@tenant.test`;
    const token = await invite(tenant.id, email);
    const res = await t.client().post('/api/invitations/accept', { token });
    expect(res.status).toBe(400);
    expect(res.body.fields.password[0]).toMatch(/required/);
    expect((await state(tenant.id, email, token)).passwordHash).toBeNull();
    const ok = await t.client().post('/api/invitations/accept', { token, password: 'a-long-enough-password' });
    expect(ok.status).toBe(200);
  });

  test('opened while signed in as another account: 403, no account is created', async () => {
    const tenant = await t.newTenant();
    const { client } = await t.newTenantAdmin(tenant.id);
    const email = `new-${randomUUID()}@tenant.test`;
    const token = await invite(tenant.id, email);
    const res = await client.post('/api/invitations/accept', { token, password: 'a-long-enough-password' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('invitation_wrong_account');
    expect((await state(tenant.id, email, token)).passwordHash).toBeNull();
  });
});

test('only the sign-in service checks a password: no other source file calls verifyPassword or argon2 verify', () => {
  const src = join(REPO_ROOT, 'apps/api/src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const checking = files
    .filter((f) => /\bverifyPassword\(|\bverify\(\s*(await\s+)?\w*[Hh]ash/.test(readFileSync(join(src, f), 'utf8')))
    .map((f) => relative(src, join(src, f)))
    .sort();
  expect(checking).toEqual(['auth/auth.service.ts', 'auth/passwords.ts']);
});
