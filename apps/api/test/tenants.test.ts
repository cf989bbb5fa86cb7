import { randomUUID } from 'node:crypto';
import { encodeCursor } from '../src/common/cursor';
import { Client, startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ INVITE_TTL_HOURS: '1' });
});
afterAll(async () => {
  await t.close();
});

/**
 * Whether staff find the tenant in the list with archived tenants included, on whichever page: it
 * is the newest, but a tenant another test file makes meanwhile goes before it.
 */
async function listedWithArchived(staff: Client, tenantId: string): Promise<boolean> {
  let cursor: string | null = null;
  do {
    const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await staff.get(
      `/api/tenants?includeArchived=true&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (res.body.items.some((x) => x.id === tenantId)) return true;
    cursor = res.body.nextCursor;
  } while (cursor);
  return false;
}

describe('tenants (staff)', () => {
  test('staff create a tenant and get 201 with id, name and createdAt', async () => {
    const staff = await t.staff();
    const res = await staff.post('/api/tenants', { name: '  Acme Sales  ' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Acme Sales', archivedAt: null });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
  });

  test('a tenant name that is empty or too long gets 400 and nothing is stored', async () => {
    const staff = await t.staff();
    const empty = await staff.post('/api/tenants', { name: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.fields.name[0]).toMatch(/1 to 100 characters/);
    const long = await staff.post('/api/tenants', { name: 'x'.repeat(101) });
    expect(long.status).toBe(400);
    const rows: unknown[] = await t.db.query(`SELECT 1 FROM tenants WHERE length(name) > 100 OR name = ''`);
    expect(rows).toHaveLength(0);
  });

  test('tenant admins cannot create or rename tenants', async () => {
    const tenant = await t.newTenant();
    const { client } = await t.newTenantAdmin(tenant.id);
    expect((await client.post('/api/tenants', { name: 'mine now' })).status).toBe(403);
    const rename = await client.patch(`/api/tenants/${tenant.id}`, { name: 'renamed' });
    expect(rename.status).toBe(403);
    expect((await t.staff().then((s) => s.get(`/api/tenants/${tenant.id}`))).body.name).toBe(tenant.name);
  });

  test('the list pages with a cursor, newest first, without gaps or repeats', async () => {
    const staff = await t.staff();
    for (let i = 0; i < 5; i++) await staff.post('/api/tenants', { name: `Paged ${i}` });
    // The table is every test file's, and other workers add, archive and restore tenants while this
    // pages: the list is judged against what was live both before and after, less what changed between.
    const live = async () =>
      new Set(
        ((await t.db.query(`SELECT id FROM tenants WHERE archived_at IS NULL`)) as Array<{ id: string }>).map(
          (r) => r.id,
        ),
      );
    // Archived or restored by another file during the paging (the margin: its transaction may have
    // begun just before), or made meanwhile: audited, so the trail names them.
    const [{ since }]: [{ since: Date }] = await t.db.query(`SELECT clock_timestamp() - interval '1 second' AS since`);
    const changedSince = async (actions: string[]) =>
      new Set(
        (
          (await t.db.query(`SELECT target_id FROM audit_events WHERE action = ANY($1) AND occurred_at >= $2`, [
            actions,
            since,
          ])) as Array<{ target_id: string }>
        ).map((r) => r.target_id),
      );
    const before = await live();
    // About ten pages whatever the run has put in the table: the keyset is under test, not the row count.
    const limit = Math.min(200, Math.max(2, Math.floor(before.size / 10)));
    const seen: string[] = [];
    let pages = 0;
    let cursor: string | null = null;
    do {
      const res: {
        status: number;
        body: { items: Array<{ id: string; createdAt: string }>; nextCursor: string | null };
      } = await staff.get(`/api/tenants?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...res.body.items.map((x) => x.id));
      pages++;
      cursor = res.body.nextCursor;
    } while (cursor);
    const after = await live();
    const toggled = await changedSince(['tenant.updated']);
    const made = await changedSince(['tenant.created']);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...before].filter((id) => after.has(id) && !toggled.has(id) && !seen.includes(id))).toEqual([]);
    expect(seen.filter((id) => !before.has(id) && !after.has(id) && !toggled.has(id) && !made.has(id))).toEqual([]);
    // Newest first, by (created_at, id) as Postgres holds them, to the microsecond.
    const ordered: Array<{ id: string }> = await t.db.query(
      `SELECT id FROM tenants WHERE id = ANY($1::uuid[]) ORDER BY created_at DESC, id DESC`,
      [seen],
    );
    const stillThere = new Set(ordered.map((r) => r.id));
    expect(seen.filter((id) => stillThere.has(id))).toEqual(ordered.map((r) => r.id));
  });

  test('rows created within the same millisecond are neither skipped nor repeated across pages', async () => {
    const staff = await t.staff();
    const ids: Array<{ id: string }> = await t.db.query(
      `INSERT INTO tenants (name, created_at) SELECT 'Same ms ' || n, timestamptz '2001-02-03 04:05:06.789' + n * interval '1 microsecond'
         FROM generate_series(1, 4) n RETURNING id`,
    );
    const seen: string[] = [];
    // From just after those rows, not from the newest tenant: by the end of a run the other test
    // files have made hundreds, and paging through them one at a time outgrows the test's timeout.
    let cursor: string | null = encodeCursor({ at: '2001-02-03T04:05:06.790000Z', id: randomUUID() });
    do {
      const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await staff.get(
        `/api/tenants?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.items.map((x) => x.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    for (const { id } of ids) expect(seen.filter((x) => x === id)).toHaveLength(1);
  });

  test('a forged cursor gets 400 saying how to page', async () => {
    const res = await (await t.staff()).get('/api/tenants?cursor=garbage');
    expect(res.status).toBe(400);
    expect(res.body.fields.cursor[0]).toMatch(/nextCursor/);
  });

  test('archiving a tenant locks its admins out; restoring lets them back', async () => {
    const staff = await t.staff();
    const tenant = await t.newTenant();
    const { client } = await t.newTenantAdmin(tenant.id);
    expect((await client.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
    const archived = await staff.patch(`/api/tenants/${tenant.id}`, { archived: true });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await client.get(`/api/tenants/${tenant.id}`)).status).toBe(404);
    expect((await client.get('/api/tenants')).body.items).toEqual([]);
    expect(await listedWithArchived(staff, tenant.id)).toBe(true);
    await staff.patch(`/api/tenants/${tenant.id}`, { archived: false });
    expect((await client.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
  });
});

describe('invitations', () => {
  test('an admin invites another admin; the link is single use', async () => {
    const tenant = await t.newTenant();
    const { client: admin } = await t.newTenantAdmin(tenant.id);
    const invite = await admin.post(`/api/tenants/${tenant.id}/members`, {
      email: `second-${randomUUID()}@x.test`,
      role: 'admin',
    });
    expect(invite.status).toBe(201);
    expect(invite.body.inviteUrl).toBe(`${t.url}/invite?token=${invite.body.inviteToken}`);
    expect(Date.parse(invite.body.expiresAt)).toBeGreaterThan(Date.now());
    const first = await t
      .client()
      .post('/api/invitations/accept', { token: invite.body.inviteToken, password: 'a-long-enough-password' });
    expect(first.status).toBe(200);
    expect(first.body.memberships).toEqual([{ tenantId: tenant.id, tenantName: tenant.name, role: 'admin' }]);
    const again = await t
      .client()
      .post('/api/invitations/accept', { token: invite.body.inviteToken, password: 'a-long-enough-password' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invitation_used');
  });

  test('an expired invitation is refused with 409 and creates no user', async () => {
    const tenant = await t.newTenant();
    const email = `late-${randomUUID()}@x.test`;
    const invite = await (await t.staff()).post(`/api/tenants/${tenant.id}/members`, { email, role: 'admin' });
    await t.db.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE email = $1`, [email]);
    const res = await t
      .client()
      .post('/api/invitations/accept', { token: invite.body.inviteToken, password: 'a-long-enough-password' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invitation_expired');
    expect(await t.db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toHaveLength(0);
  });

  test('a short password is refused and the invitation stays usable', async () => {
    const tenant = await t.newTenant();
    const invite = await (
      await t.staff()
    ).post(`/api/tenants/${tenant.id}/members`, { email: `short-${randomUUID()}@x.test`, role: 'admin' });
    const short = await t
      .client()
      .post('/api/invitations/accept', { token: invite.body.inviteToken, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.fields.password.join(' ')).toMatch(/at least 12 characters/);
    expect(
      (
        await t
          .client()
          .post('/api/invitations/accept', { token: invite.body.inviteToken, password: 'now-long-enough!' })
      ).status,
    ).toBe(200);
  });

  test('an existing user joins signed in; the invitation never checks or resets a password', async () => {
    const first = await t.newTenant();
    const second = await t.newTenant();
    const { email, password, client } = await t.newTenantAdmin(first.id);
    const invite = await (await t.staff()).post(`/api/tenants/${second.id}/members`, { email, role: 'admin' });
    const hijack = await t
      .client()
      .post('/api/invitations/accept', { token: invite.body.inviteToken, password: 'attacker-chosen-pass' });
    expect(hijack.status).toBe(401);
    expect(hijack.body.code).toBe('sign_in_required');
    expect((await t.client().post('/api/auth/login', { email, password })).status).toBe(200);
    const linked = await client.post('/api/invitations/accept', { token: invite.body.inviteToken });
    expect(linked.status).toBe(200);
    expect(linked.body.memberships.map((m: { tenantId: string }) => m.tenantId).sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });

  test('an unknown token gets 404 with a message saying what to do', async () => {
    const res = await t
      .client()
      .post('/api/invitations/accept', { token: 'x'.repeat(43), password: 'a-long-enough-password' });
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/ask for a new invitation/);
  });

  test('a role other than admin is refused', async () => {
    const tenant = await t.newTenant();
    const res = await (await t.staff()).post(`/api/tenants/${tenant.id}/members`, { email: 'x@x.test', role: 'owner' });
    expect(res.status).toBe(400);
    expect(res.body.fields.role[0]).toMatch(/admin/);
  });
});
