import { randomUUID } from 'node:crypto';
import { AuditService } from '../src/audit/audit.service';
import { Client, startTestApp, STAFF_EMAIL, STAFF_PASSWORD, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

interface Row {
  id: string;
  seq: string;
  action: string;
  actor_kind: string;
  actor_user_id: string | null;
  actor_email: string | null;
  tenant_id: string | null;
  target_type: string | null;
  target_id: string | null;
  metadata: Record<string, any>;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}

const eventsOf = (where: string, params: unknown[]): Promise<Row[]> =>
  t.db.query(`SELECT * FROM audit_events WHERE ${where} ORDER BY seq`, params);

/** Every page of a list, following nextCursor. */
async function allPages(client: Client, query: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await client.get(`/api/audit?${query}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** RFC 4180, enough for the export: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(cell), (cell = ''));
    else if (ch === '\r' && text[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    else cell += ch;
  }
  return rows;
}

describe('what is recorded', () => {
  test('sign-in success records the user, IP, user agent and request id', async () => {
    const c = t.client();
    const res = await c.post(
      '/api/auth/login',
      { email: STAFF_EMAIL, password: STAFF_PASSWORD },
      { 'user-agent': 'AuditTest/1.0', 'x-request-id': `req-${randomUUID()}` },
    );
    expect(res.status).toBe(200);
    const [event] = await eventsOf(`request_id = $1`, [res.headers.get('x-request-id')]);
    expect(event).toMatchObject({
      action: 'auth.login.succeeded',
      actor_kind: 'staff',
      actor_user_id: res.body.id,
      actor_email: STAFF_EMAIL,
      tenant_id: null,
      target_type: 'user',
      target_id: res.body.id,
      ip: '127.0.0.1',
      user_agent: 'AuditTest/1.0',
    });
  });

  test('a failed sign-in records the email as typed, lowercased, and never the password', async () => {
    const email = `Nobody-${randomUUID().slice(0, 8)}@Example.TEST`;
    const password = `canary-password-${randomUUID()}`;
    const requestId = `req-${randomUUID()}`;
    const res = await t.client().post('/api/auth/login', { email, password }, { 'x-request-id': requestId });
    expect(res.status).toBe(401);
    const events = await eventsOf(`request_id = $1`, [requestId]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'auth.login.failed',
      actor_kind: 'user',
      actor_user_id: null,
      actor_email: email.toLowerCase(),
      metadata: { reason: 'unknown_email' },
    });
    expect(JSON.stringify(events)).not.toContain(password);
  });

  test('a wrong password for a real account names the account; sign-out is recorded too', async () => {
    const tenant = await t.newTenant();
    const { client, email } = await t.newTenantAdmin(tenant.id);
    const me = (await client.get('/api/auth/me')).body;
    const requestId = `req-${randomUUID()}`;
    await t.client().post('/api/auth/login', { email, password: 'not-the-password' }, { 'x-request-id': requestId });
    const [failed] = await eventsOf(`request_id = $1`, [requestId]);
    expect(failed).toMatchObject({ actor_user_id: me.id, metadata: { reason: 'wrong_password' } });

    const out = await client.post('/api/auth/logout', {}, { 'x-request-id': `out-${requestId}` });
    expect(out.status).toBe(200);
    const [logout] = await eventsOf(`request_id = $1`, [`out-${requestId}`]);
    expect(logout).toMatchObject({
      action: 'auth.logout',
      actor_user_id: me.id,
      actor_email: email,
      actor_kind: 'user',
    });
  });

  test('tenant created, renamed, archived and restored; a PATCH that changes nothing records nothing', async () => {
    const staff = await t.staff();
    const created = (await staff.post('/api/tenants', { name: 'Audit Co' })).body;
    await staff.patch(`/api/tenants/${created.id}`, { name: 'Audit Co 2' });
    await staff.patch(`/api/tenants/${created.id}`, { archived: true });
    await staff.patch(`/api/tenants/${created.id}`, { archived: true, name: 'Audit Co 2' });
    await staff.patch(`/api/tenants/${created.id}`, { archived: false });
    const events = await eventsOf(`tenant_id = $1`, [created.id]);
    expect(events.map((e) => [e.action, e.metadata])).toEqual([
      ['tenant.created', { name: 'Audit Co' }],
      [
        'tenant.updated',
        {
          changes: ['renamed'],
          from: { name: 'Audit Co', archived: false },
          to: { name: 'Audit Co 2', archived: false },
        },
      ],
      [
        'tenant.updated',
        {
          changes: ['archived'],
          from: { name: 'Audit Co 2', archived: false },
          to: { name: 'Audit Co 2', archived: true },
        },
      ],
      [
        'tenant.updated',
        {
          changes: ['restored'],
          from: { name: 'Audit Co 2', archived: true },
          to: { name: 'Audit Co 2', archived: false },
        },
      ],
    ]);
    expect(
      events.every((e) => e.actor_kind === 'staff' && e.target_type === 'tenant' && e.target_id === created.id),
    ).toBe(true);
  });

  test('an invitation records email and role but never its token; accepting records the member joining', async () => {
    const tenant = await t.newTenant();
    const email = `joiner-${randomUUID().slice(0, 8)}@x.test`;
    const invite = await (await t.staff()).post(`/api/tenants/${tenant.id}/members`, { email, role: 'admin' });
    const joined = await t
      .client()
      .post('/api/invitations/accept', { token: invite.body.inviteToken, password: 'a-long-enough-password' });
    expect(joined.status).toBe(200);
    const events = await eventsOf(`tenant_id = $1 AND action LIKE 'member.%'`, [tenant.id]);
    expect(events.map((e) => e.action)).toEqual(['member.invited', 'member.joined']);
    expect(events[0]).toMatchObject({
      actor_kind: 'staff',
      target_type: 'invitation',
      metadata: { email, role: 'admin' },
    });
    expect(events[1]).toMatchObject({
      actor_kind: 'user',
      actor_user_id: joined.body.id,
      actor_email: email,
      target_type: 'user',
      target_id: joined.body.id,
      metadata: { role: 'admin', existingAccount: false, invitationId: events[0]!.target_id },
    });
    const raw: Array<{ text: string }> = await t.db.query(
      `SELECT row_to_json(e)::text AS text FROM audit_events e WHERE tenant_id = $1`,
      [tenant.id],
    );
    expect(raw.map((r) => r.text).join('\n')).not.toContain(invite.body.inviteToken);
  });

  test('an event written in a transaction that rolls back is not recorded', async () => {
    const audit = t.app.get(AuditService);
    const marker = `rollback-${randomUUID()}`;
    await expect(
      t.db.transaction(async (tx) => {
        await audit.record(
          {
            actor: { kind: 'system', userId: null, email: null },
            request: null,
            action: 'webhook.changed',
            metadata: { marker },
          },
          tx,
        );
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await eventsOf(`metadata->>'marker' = $1`, [marker])).toEqual([]);
  });
});

describe('no secret in any audit row', () => {
  test('a canary passed as password, token and metadata appears nowhere in the trail or its export', async () => {
    const canary = `canary-${randomUUID()}`;
    const tenant = await t.newTenant();
    const email = `canary-${randomUUID().slice(0, 8)}@x.test`;
    await t.client().post('/api/auth/login', { email, password: canary });
    const invite = await (await t.staff()).post(`/api/tenants/${tenant.id}/members`, { email, role: 'admin' });
    await t.client().post('/api/invitations/accept', { token: invite.body.inviteToken, password: canary });
    await t.client().post('/api/auth/login', { email, password: canary });
    await t.app.get(AuditService).record({
      actor: { kind: 'system', userId: null, email: null },
      request: null,
      action: 'intercom.secret.saved',
      tenantId: tenant.id,
      target: { type: 'secret_version', id: '1' },
      metadata: {
        fingerprint: 'ab12cd',
        secret: canary,
        apiKey: canary,
        body: { password: canary, newToken: canary, platforms: ['web'] },
        raw: Buffer.from(canary),
      },
    });
    const all: Array<{ text: string }> = await t.db.query(`SELECT row_to_json(e)::text AS text FROM audit_events e`);
    expect(all.length).toBeGreaterThan(5);
    expect(all.filter((r) => r.text.includes(canary) || r.text.includes(invite.body.inviteToken))).toEqual([]);
    const [saved] = await eventsOf(`tenant_id = $1 AND action = 'intercom.secret.saved'`, [tenant.id]);
    expect(saved!.metadata).toEqual({ fingerprint: 'ab12cd', body: { platforms: ['web'] } });
    const csv = await (await t.staff()).get('/api/audit/export.csv');
    expect(csv.status).toBe(200);
    expect(String(csv.body)).not.toContain(canary);
  });
});

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
