import { runCliCaptured } from './cli-runner';
import { Client, startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** A second, third... device: the same account signed in again. */
async function signIn(email: string, password: string): Promise<Client> {
  const c = t.client();
  expect((await c.post('/api/auth/login', { email, password })).status).toBe(200);
  return c;
}

const signedIn = async (c: Client) => (await c.get('/api/auth/me')).status === 200;
const userId = async (c: Client): Promise<string> => (await c.get('/api/auth/me')).body.id;
const sessionsOf = async (id: string): Promise<number> =>
  (await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [id]))[0].n;

describe('sign out everywhere', () => {
  test('POST /api/auth/logout-all ends every session of the user, on every device, and is audited', async () => {
    const tenant = await t.newTenant();
    const { client: laptop, email, password } = await t.newTenantAdmin(tenant.id);
    const phone = await signIn(email, password);
    const stolen = new Client(t.url);
    stolen.setCookie('mv_session', (await signIn(email, password)).cookieHeader.match(/mv_session=([^;]+)/)![1]!);
    const { client: colleague } = await t.newTenantAdmin(tenant.id);
    const id = await userId(laptop);

    const res = await laptop.post('/api/auth/logout-all');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, sessionsEnded: 3 });
    expect(res.headers.getSetCookie().some((c) => /^mv_session=;/.test(c))).toBe(true);
    for (const device of [laptop, phone, stolen]) expect(await signedIn(device)).toBe(false);
    expect(await sessionsOf(id)).toBe(0);
    expect(await signedIn(colleague)).toBe(true);

    const audit: Array<{ metadata: unknown; actor_user_id: string }> = await t.db.query(
      `SELECT metadata, actor_user_id FROM audit_events WHERE action = 'auth.logout_all' AND target_id = $1`,
      [id],
    );
    expect(audit).toEqual([{ metadata: { ended: 3 }, actor_user_id: id }]);
    expect(await signedIn(await signIn(email, password))).toBe(true);
  });

  test('needs a session, and is refused from a foreign origin like every mutating request', async () => {
    expect((await t.client().post('/api/auth/logout-all')).status).toBe(401);
    const tenant = await t.newTenant();
    const { client } = await t.newTenantAdmin(tenant.id);
    const evil = new Client(t.url, 'https://evil.example');
    evil.setCookie('mv_session', client.cookieHeader.match(/mv_session=([^;]+)/)![1]!);
    const res = await evil.post('/api/auth/logout-all');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('csrf_rejected');
    expect(await signedIn(client)).toBe(true);
  });
});

describe('a removed membership ends the sessions it was used in', () => {
  test('staff remove an admin: every session of that admin ends at once; other admins stay signed in', async () => {
    const tenant = await t.newTenant();
    const { client: removed, email, password } = await t.newTenantAdmin(tenant.id);
    const second = await signIn(email, password);
    const { client: stays } = await t.newTenantAdmin(tenant.id);
    const id = await userId(removed);

    const res = await (await t.staff()).delete(`/api/tenants/${tenant.id}/members/${id}`);
    expect(res.status).toBe(204);
    expect(await signedIn(removed)).toBe(false);
    expect(await signedIn(second)).toBe(false);
    expect(await signedIn(stays)).toBe(true);

    const again = await signIn(email, password);
    expect((await again.get('/api/auth/me')).body.memberships).toEqual([]);
    expect((await again.get(`/api/tenants/${tenant.id}`)).status).toBe(404);
    const audit: unknown[] = await t.db.query(
      `SELECT metadata FROM audit_events WHERE action = 'member.removed' AND tenant_id = $1 AND target_id = $2`,
      [tenant.id, id],
    );
    expect(audit).toEqual([{ metadata: { email, role: 'admin' } }]);
  });

  test("an admin removes a fellow admin of their tenant, but nobody from another tenant's", async () => {
    const tenant = await t.newTenant();
    const other = await t.newTenant();
    const { client: admin } = await t.newTenantAdmin(tenant.id);
    const { client: fellow } = await t.newTenantAdmin(tenant.id);
    const { client: outsider } = await t.newTenantAdmin(other.id);
    const fellowId = await userId(fellow);

    expect((await outsider.delete(`/api/tenants/${tenant.id}/members/${fellowId}`)).status).toBe(404);
    expect((await admin.delete(`/api/tenants/${tenant.id}/members/${await userId(outsider)}`)).status).toBe(404);
    expect(await signedIn(fellow)).toBe(true);
    expect(await signedIn(outsider)).toBe(true);

    expect((await admin.delete(`/api/tenants/${tenant.id}/members/${fellowId}`)).status).toBe(204);
    expect(await signedIn(fellow)).toBe(false);
    expect((await admin.delete(`/api/tenants/${tenant.id}/members/${fellowId}`)).status).toBe(404);
  });

  test('a user id that is not a UUID is a 404, not a 500', async () => {
    const tenant = await t.newTenant();
    const staff = await t.staff();
    for (const bad of ['not-a-uuid', '-'.repeat(36), 'DROP%20TABLE'])
      expect((await staff.delete(`/api/tenants/${tenant.id}/members/${bad}`)).status).toBe(404);
  });
});

describe('the database ends sessions whatever path changes privileges', () => {
  test('a membership deleted outside the API (SQL, or a deleted tenant cascading) ends the sessions', async () => {
    const tenant = await t.newTenant();
    const { client } = await t.newTenantAdmin(tenant.id);
    const id = await userId(client);
    await t.db.query(`DELETE FROM tenants WHERE id = $1`, [tenant.id]);
    expect(await sessionsOf(id)).toBe(0);
    expect(await signedIn(client)).toBe(false);
  });

  test('becoming staff (npm run cli -- users:create-staff on an existing user) ends the sessions', async () => {
    const tenant = await t.newTenant();
    const { client, email, password } = await t.newTenantAdmin(tenant.id);
    const run = await runCliCaptured(['users:create-staff', '--email', email]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/is now staff/);
    expect(await signedIn(client)).toBe(false);
    expect((await (await signIn(email, password)).get('/api/auth/me')).body.isStaff).toBe(true);
  });

  test('re-accepting the same role, or any other write that changes nothing, keeps the sessions', async () => {
    const tenant = await t.newTenant();
    const { client } = await t.newTenantAdmin(tenant.id);
    const id = await userId(client);
    await t.db.query(`UPDATE memberships SET role = role WHERE user_id = $1`, [id]);
    await t.db.query(`UPDATE users SET email = email, is_staff = is_staff WHERE id = $1`, [id]);
    expect(await signedIn(client)).toBe(true);
  });
});
