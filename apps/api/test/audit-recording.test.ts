import { randomUUID } from 'node:crypto';
import { AuditService } from '../src/audit/audit.service';
import { auditEventsOf } from './audit-fixtures';
import { startTestApp, STAFF_EMAIL, STAFF_PASSWORD, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const eventsOf = auditEventsOf(() => t);

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
