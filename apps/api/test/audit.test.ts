import { randomUUID } from 'node:crypto';
import { AuditService } from '../src/audit/audit.service';
import { allPages, auditEventsOf, parseCsv } from './audit-fixtures';
import { startTestApp, STAFF_EMAIL, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const eventsOf = auditEventsOf(() => t);

describe('GET /api/audit', () => {
  test('staff page through one tenant newest first, without gaps or repeats', async () => {
    const tenant = await t.newTenant();
    const audit = t.app.get(AuditService);
    for (let i = 0; i < 7; i++) {
      await audit.record({
        actor: { kind: 'system', userId: null, email: null },
        request: null,
        action: 'intercom.settings.changed',
        tenantId: tenant.id,
        metadata: { i },
      });
    }
    const items = await allPages(await t.staff(), `tenantId=${tenant.id}`);
    const stored = await eventsOf(`tenant_id = $1`, [tenant.id]);
    expect(items.map((e) => e.id)).toEqual(stored.map((e) => e.id).reverse());
    expect(items[0]).toMatchObject({ action: 'intercom.settings.changed', metadata: { i: 6 }, actorKind: 'system' });
    expect(Object.keys(items[0]).sort()).toEqual(
      [
        'id',
        'seq',
        'occurredAt',
        'actorKind',
        'actorUserId',
        'actorEmail',
        'tenantId',
        'action',
        'targetType',
        'targetId',
        'metadata',
        'ip',
        'userAgent',
        'requestId',
        'prevHash',
        'hash',
      ].sort(),
    );
  });

  test('filters by action, actor (email or id) and time', async () => {
    const staff = await t.staff();
    const tenant = await t.newTenant();
    const { client, email } = await t.newTenantAdmin(tenant.id);
    const me = (await client.get('/api/auth/me')).body;
    const byAction = await staff.get(`/api/audit?tenantId=${tenant.id}&action=member.joined`);
    expect(byAction.body.items.map((e: any) => e.actorEmail)).toEqual([email]);
    const byEmail = await staff.get(`/api/audit?actor=${encodeURIComponent(email.toUpperCase())}`);
    expect(byEmail.body.items.length).toBeGreaterThan(0);
    expect(byEmail.body.items.every((e: any) => e.actorEmail === email)).toBe(true);
    const byId = await staff.get(`/api/audit?actor=${me.id}`);
    expect(byId.body.items.map((e: any) => e.id)).toEqual(byEmail.body.items.map((e: any) => e.id));

    const joinedAt = byAction.body.items[0].occurredAt as string;
    const from = await staff.get(`/api/audit?tenantId=${tenant.id}&from=${joinedAt}`);
    expect(from.body.items.map((e: any) => e.action)).toContain('member.joined');
    const to = await staff.get(`/api/audit?tenantId=${tenant.id}&to=${joinedAt}`);
    expect(to.body.items.map((e: any) => e.action)).not.toContain('member.joined');
    expect(to.body.items.map((e: any) => e.action)).toContain('tenant.created');
    // The trail outlives tenants: staff asking about an unknown tenant get an empty page, not 404.
    expect((await staff.get(`/api/audit?tenantId=${randomUUID()}`)).body).toEqual({ items: [], nextCursor: null });
  });

  test('bad filters get 400 with one message per field', async () => {
    const staff = await t.staff();
    const cases: Array<[string, string]> = [
      ['tenantId=nope', 'tenantId'],
      ['action=tenant.deleted', 'action'],
      ['from=yesterday', 'from'],
      ['to=2024-13-45', 'to'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=garbage', 'cursor'],
      ['from=2024-11-26T00:00:00Z&to=2024-11-25T00:00:00Z', 'to'],
      ['sort=asc', 'sort'],
    ];
    for (const [query, field] of cases) {
      const res = await staff.get(`/api/audit?${query}`);
      expect({ query, status: res.status, fields: Object.keys(res.body.fields ?? {}) }).toEqual({
        query,
        status: 400,
        fields: [field],
      });
    }
    const action = await staff.get('/api/audit?action=nope');
    expect(action.body.fields.action[0]).toMatch(/auth\.login\.succeeded/);
  });

  test('signed out gets 401', async () => {
    expect((await t.client().get('/api/audit')).status).toBe(401);
  });
});

describe('a tenant admin', () => {
  test("reads only their own tenants' events, never another's, and never staff's IP", async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    const c = await t.newTenant();
    const { client, email } = await t.newTenantAdmin(a.id);
    await t.newTenantAdmin(b.id);
    // The same person administers C too, having accepted signed in.
    const invite = await (await t.staff()).post(`/api/tenants/${c.id}/members`, { email, role: 'admin' });
    expect((await client.post('/api/invitations/accept', { token: invite.body.inviteToken })).status).toBe(200);

    const mine = await allPages(client, '');
    const tenants = new Set(mine.map((e) => e.tenantId));
    expect([...tenants].sort()).toEqual([a.id, c.id].sort());
    const stored = await eventsOf(`tenant_id = ANY($1::uuid[])`, [[a.id, c.id]]);
    expect(mine.map((e) => e.id).sort()).toEqual(stored.map((e) => e.id).sort());
    // Staff created the tenants; the admin sees that, but not where staff work from.
    const staffEvent = mine.find((e) => e.actorKind === 'staff');
    expect(staffEvent).toMatchObject({ ip: null, userAgent: null });
    const asStaff = await (await t.staff()).get(`/api/audit?tenantId=${staffEvent.tenantId}`);
    expect(asStaff.body.items.find((e: any) => e.id === staffEvent.id)).toMatchObject({ ip: '127.0.0.1' });

    const onlyA = await client.get(`/api/audit?tenantId=${a.id}`);
    expect(onlyA.status).toBe(200);
    expect(onlyA.body.items.every((e: any) => e.tenantId === a.id)).toBe(true);
    const other = await client.get(`/api/audit?tenantId=${b.id}`);
    expect(other.status).toBe(404);
    expect(other.body.message).not.toContain(b.name);
    expect((await client.get(`/api/audit?tenantId=${randomUUID()}`)).status).toBe(404);
    // Filters never widen the scope: staff's own sign-ins have no tenant and stay hidden.
    const byStaff = await client.get(`/api/audit?actor=${encodeURIComponent(STAFF_EMAIL)}&action=auth.login.succeeded`);
    expect(byStaff.body.items).toEqual([]);
  });

  test('loses the trail of a tenant that is archived', async () => {
    const a = await t.newTenant();
    const { client } = await t.newTenantAdmin(a.id);
    expect((await client.get('/api/audit')).body.items.length).toBeGreaterThan(0);
    await (await t.staff()).patch(`/api/tenants/${a.id}`, { archived: true });
    expect((await client.get('/api/audit')).body.items).toEqual([]);
    expect((await client.get(`/api/audit?tenantId=${a.id}`)).status).toBe(404);
  });

  test('gets 403 from verify and export.csv', async () => {
    const a = await t.newTenant();
    const { client } = await t.newTenantAdmin(a.id);
    expect((await client.get('/api/audit/verify')).status).toBe(403);
    const csv = await client.get(`/api/audit/export.csv?tenantId=${a.id}`);
    expect(csv.status).toBe(403);
    expect(csv.headers.get('content-type')).toMatch(/json/);
  });
});

describe('GET /api/audit/export.csv', () => {
  test('staff download escaped CSV that a spreadsheet cannot execute, filtered like the list', async () => {
    const staff = await t.staff();
    const evil = '=HYPERLINK("http://evil.example","click"), "quoted"';
    const tenant = (await staff.post('/api/tenants', { name: evil })).body;
    await staff.patch(`/api/tenants/${tenant.id}`, { name: '@SUM(A1)\nsecond line' });
    const res = await staff.get(`/api/audit/export.csv?tenantId=${tenant.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parseCsv(String(res.body));
    expect(rows[0]).toEqual([
      'id',
      'seq',
      'occurred_at',
      'actor_kind',
      'actor_user_id',
      'actor_email',
      'tenant_id',
      'action',
      'target_type',
      'target_id',
      'metadata',
      'ip',
      'user_agent',
      'request_id',
      'prev_hash',
      'hash',
    ]);
    const body = rows.slice(1);
    expect(body.map((r) => r[7])).toEqual(['tenant.updated', 'tenant.created']);
    expect(JSON.parse(body[1]![10]!)).toEqual({ name: evil });
    expect(JSON.parse(body[0]![10]!).to.name).toBe('@SUM(A1)\nsecond line');
    for (const cell of body.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  test('a trail larger than one page exports completely, newest first', async () => {
    const tenant = await t.newTenant();
    const audit = t.app.get(AuditService);
    const total = 1100;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          audit.record({
            actor: { kind: 'system', userId: null, email: null },
            request: null,
            action: 'intercom.platform.changed',
            tenantId: tenant.id,
            metadata: { n: i + j },
          }),
        ),
      );
    }
    const res = await (
      await t.staff()
    ).get(`/api/audit/export.csv?tenantId=${tenant.id}&action=intercom.platform.changed`);
    const rows = parseCsv(String(res.body)).slice(1);
    expect(rows).toHaveLength(total);
    const seqs = rows.map((r) => Number(r[1]));
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    expect(new Set(seqs).size).toBe(total);
  });

  test('bad filters are a 400 before any CSV is sent', async () => {
    const res = await (await t.staff()).get('/api/audit/export.csv?from=2024-11-26&to=2024-11-25');
    expect(res.status).toBe(400);
    expect(res.body.fields.to[0]).toMatch(/later than from/);
    expect((await (await t.staff()).get('/api/audit/export.csv?cursor=x')).status).toBe(400);
  });
});
