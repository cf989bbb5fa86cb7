import { randomUUID } from 'node:crypto';
import { runCliCaptured } from './cli-runner';
import { startTestApp, TestApp } from './harness';
import { DAY, newSecret, notificationsOf, outboxOf, runnerOf, tenantWithSecret } from './rotation-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const run = (tenantId: string, at: Date) => runnerOf(t).run({ at, tenantId });
const stagesOf = (report: Awaited<ReturnType<typeof run>>) =>
  report.recorded.map((r) => `${r.secretVersion}:${r.stage}:${r.occurrence}`);

describe('reminder stages for given --at times (defaults: 90 days, reminders from 14 days before)', () => {
  test('before the lead nothing; in the lead due_soon; on the due date due; after it overdue; 7 days on a second overdue', async () => {
    const s = await tenantWithSecret(t);
    expect(stagesOf(await run(s.tenantId, s.day(75)))).toEqual([]);
    expect(stagesOf(await run(s.tenantId, s.day(76)))).toEqual(['1:due_soon:0']);
    expect(stagesOf(await run(s.tenantId, s.day(89)))).toEqual([]);
    expect(stagesOf(await run(s.tenantId, s.day(90)))).toEqual(['1:due:0']);
    expect(stagesOf(await run(s.tenantId, s.day(90.5)))).toEqual([]);
    expect(stagesOf(await run(s.tenantId, s.day(91)))).toEqual(['1:overdue:0']);
    expect(stagesOf(await run(s.tenantId, s.day(96)))).toEqual([]);
    expect(stagesOf(await run(s.tenantId, s.day(97)))).toEqual(['1:overdue:1']);
    expect(await notificationsOf(t, s.tenantId)).toEqual([
      { secret_version: 1, stage: 'due_soon', occurrence: 0 },
      { secret_version: 1, stage: 'due', occurrence: 0 },
      { secret_version: 1, stage: 'overdue', occurrence: 0 },
      { secret_version: 1, stage: 'overdue', occurrence: 1 },
    ]);
  });

  test('a version first seen long overdue gets one overdue notification, not a back-fill', async () => {
    const s = await tenantWithSecret(t);
    expect(stagesOf(await run(s.tenantId, s.day(120)))).toEqual(['1:overdue:4']);
    expect(await notificationsOf(t, s.tenantId)).toEqual([{ secret_version: 1, stage: 'overdue', occurrence: 4 }]);
  });

  test('running again at the same time records nothing more', async () => {
    const s = await tenantWithSecret(t);
    expect(stagesOf(await run(s.tenantId, s.day(80)))).toEqual(['1:due_soon:0']);
    expect(stagesOf(await run(s.tenantId, s.day(80)))).toEqual([]);
    expect(await notificationsOf(t, s.tenantId)).toHaveLength(1);
  });

  test("the tenant's policy in force now decides the stage", async () => {
    const s = await tenantWithSecret(t);
    const patched = await s.admin.patch(`/api/tenants/${s.tenantId}/intercom/settings`, {
      rotationPeriodDays: 30,
      reminderLeadDays: 5,
    });
    expect(patched.status).toBe(200);
    expect(stagesOf(await run(s.tenantId, s.day(24)))).toEqual([]);
    expect(stagesOf(await run(s.tenantId, s.day(25)))).toEqual(['1:due_soon:0']);
    expect(stagesOf(await run(s.tenantId, s.day(30)))).toEqual(['1:due:0']);
    const [row] = await t.db.query(`SELECT rotation_due_at FROM rotation_notifications WHERE tenant_id = $1 LIMIT 1`, [
      s.tenantId,
    ]);
    expect(row.rotation_due_at.getTime()).toBe(s.day(30).getTime());
  });

  test('without SMTP_URL or a webhook a reminder is in-app only: nothing goes into the outbox', async () => {
    const s = await tenantWithSecret(t);
    await run(s.tenantId, s.day(90));
    expect(await notificationsOf(t, s.tenantId)).toHaveLength(1);
    expect(await outboxOf(t, s.tenantId)).toEqual([]);
  });
});

describe('rotating the secret ends the old version reminders', () => {
  test('a new version for every platform turns the old one previous, and it gets no further reminder', async () => {
    const s = await tenantWithSecret(t);
    expect(stagesOf(await run(s.tenantId, s.day(91)))).toEqual(['1:overdue:0']);
    const rotated = await s.admin.put(`/api/tenants/${s.tenantId}/intercom/secret`, { secret: newSecret() });
    expect(rotated.status).toBe(201);
    // Version 1 would be owed its second overdue at day 97; version 2 is new and owes nothing yet.
    const [v2] = await t.db.query(`SELECT created_at FROM secret_versions WHERE tenant_id = $1 AND version = 2`, [
      s.tenantId,
    ]);
    expect(stagesOf(await run(s.tenantId, new Date(v2.created_at.getTime() + 7 * DAY)))).toEqual([]);
    expect(await notificationsOf(t, s.tenantId)).toEqual([{ secret_version: 1, stage: 'overdue', occurrence: 0 }]);
  });

  test('a new version for some platforms only leaves the old one signing the rest, so its reminders go on', async () => {
    const s = await tenantWithSecret(t);
    const partial = await s.admin.put(`/api/tenants/${s.tenantId}/intercom/secret`, {
      secret: newSecret(),
      platforms: ['ios'],
    });
    expect(partial.status).toBe(201);
    const report = await run(s.tenantId, s.day(92));
    // Version 2 was saved moments after version 1, so it is overdue too.
    expect(stagesOf(report).sort()).toEqual(['1:overdue:0', '2:overdue:0']);
  });
});

describe('in-app notifications', () => {
  async function withThree() {
    const s = await tenantWithSecret(t);
    for (const d of [76, 90, 91]) {
      await run(s.tenantId, s.day(d));
      // Distinct milliseconds, so "newest first" has one right answer.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    return s;
  }

  test('listed newest first with stage, version, dates, title and message, and the unread count', async () => {
    const s = await withThree();
    const res = await s.admin.get(`/api/tenants/${s.tenantId}/notifications`);
    expect(res.status).toBe(200);
    expect(res.body.unreadCount).toBe(3);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((n: { stage: string }) => n.stage)).toEqual(['overdue', 'due', 'due_soon']);
    const [first] = res.body.items;
    expect(Object.keys(first).sort()).toEqual(
      ['createdAt', 'id', 'message', 'occurrence', 'readAt', 'rotationDueAt', 'secretVersion', 'stage', 'title'].sort(),
    );
    expect(first).toMatchObject({ secretVersion: 1, readAt: null, rotationDueAt: s.day(90).toISOString() });
    expect(first.title).toBe('Messenger secret version 1 is overdue for rotation');
    expect(first.message).toMatch(/retire version 1/);
  });

  test('pages with limit and cursor, and filters unread', async () => {
    const s = await withThree();
    const base = `/api/tenants/${s.tenantId}/notifications`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await s.admin.get(
        `${base}?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(1);
      seen.push(page.body.items[0].stage);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['overdue', 'due', 'due_soon']);

    const all = (await s.admin.get(base)).body.items;
    const read = await s.admin.post(`${base}/${all[1].id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: all[1].id, stage: 'due' });
    expect(Date.parse(read.body.readAt)).not.toBeNaN();
    const again = await s.admin.post(`${base}/${all[1].id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);

    const unread = await s.admin.get(`${base}?unread=true`);
    expect(unread.body.items.map((n: { stage: string }) => n.stage)).toEqual(['overdue', 'due_soon']);
    expect(unread.body.unreadCount).toBe(2);
    expect((await s.admin.get(`${base}?unread=false`)).body.items).toHaveLength(3);
  });

  test('bad limit, unread or cursor answer 400 naming the field', async () => {
    const s = await tenantWithSecret(t);
    const base = `/api/tenants/${s.tenantId}/notifications`;
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['unread=maybe', 'unread'],
      ['cursor=not-ours', 'cursor'],
      ['sort=asc', 'sort'],
    ]) {
      const res = await s.admin.get(`${base}?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(Object.keys(res.body.fields ?? {})).toContain(field);
    }
  });

  test("another tenant's notification, an unknown id and a malformed id are 404", async () => {
    const a = await withThree();
    const b = await tenantWithSecret(t);
    const [ofA] = (await a.admin.get(`/api/tenants/${a.tenantId}/notifications`)).body.items;
    // B's admin, through B's own path, naming A's notification.
    expect((await b.admin.post(`/api/tenants/${b.tenantId}/notifications/${ofA.id}/read`)).status).toBe(404);
    expect((await b.admin.post(`/api/tenants/${b.tenantId}/notifications/${randomUUID()}/read`)).status).toBe(404);
    expect((await b.admin.post(`/api/tenants/${b.tenantId}/notifications/nope/read`)).status).toBe(404);
    // B's admin, through A's path.
    expect((await b.admin.get(`/api/tenants/${a.tenantId}/notifications`)).status).toBe(404);
    expect((await b.admin.post(`/api/tenants/${a.tenantId}/notifications/${ofA.id}/read`)).status).toBe(404);
    const stillUnread = await a.admin.get(`/api/tenants/${a.tenantId}/notifications?unread=true`);
    expect(stillUnread.body.unreadCount).toBe(3);
    // Staff reach every tenant's list.
    expect((await (await t.staff()).get(`/api/tenants/${a.tenantId}/notifications`)).status).toBe(200);
  });

  test('signed out: 401', async () => {
    const s = await tenantWithSecret(t);
    expect((await t.client().get(`/api/tenants/${s.tenantId}/notifications`)).status).toBe(401);
  });
});

describe('npm run cli -- reminders:run', () => {
  const cli = (...argv: string[]) => runCliCaptured(argv);

  test('records what is owed at --at, and a second run records nothing', async () => {
    const s = await tenantWithSecret(t);
    const at = s.day(90).toISOString();
    const first = await cli('reminders:run', '--at', at, '--tenant', s.tenantId);
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toContain(`Reminders owed at ${at}: 1 new.`);
    expect(first.out).toContain(`tenant ${s.tenantId} version 1: due`);
    const second = await cli('reminders:run', '--at', at, '--tenant', s.tenantId);
    expect(second.code).toBe(0);
    expect(second.out).toContain(': 0 new.');
    expect(await notificationsOf(t, s.tenantId)).toEqual([{ secret_version: 1, stage: 'due', occurrence: 0 }]);
  });

  test('a bad --at or --tenant exits 1 with a clear message', async () => {
    for (const bad of ['yesterday', '2025-13-45T00:00:00Z', '1']) {
      const res = await cli('reminders:run', '--at', bad);
      expect(res.code).toBe(1);
      expect(res.err).toMatch(/--at must be an ISO 8601 time, like 2025-03-01T09:00:00Z/);
    }
    const tenant = await cli('reminders:run', '--tenant', 'acme');
    expect(tenant.code).toBe(1);
    expect(tenant.err).toMatch(/--tenant must be a tenant id/);
    expect((await cli('reminders:run', '--at')).err).toMatch(/--at needs a value/);
  });
});

test('the Messenger secret appears in no notification, response, audit row or log line', async () => {
  const canary = `sk_canary_${randomUUID().replaceAll('-', '')}`;
  const s = await tenantWithSecret(t, canary);
  for (const d of [80, 90, 100]) await run(s.tenantId, s.day(d));
  const rows = await t.db.query(`SELECT * FROM rotation_notifications WHERE tenant_id = $1`, [s.tenantId]);
  expect(rows).toHaveLength(3);
  const list = await s.admin.get(`/api/tenants/${s.tenantId}/notifications`);
  const audit = await t.db.query(`SELECT * FROM audit_events WHERE tenant_id = $1`, [s.tenantId]);
  for (const text of [JSON.stringify(rows), JSON.stringify(list.body), JSON.stringify(audit), t.logs.join('\n')]) {
    expect(text).not.toContain(canary);
    expect(text).not.toContain(canary.slice(-12));
  }
});
