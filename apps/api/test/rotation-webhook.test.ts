import { startTestApp, TestApp } from './harness';
import {
  attemptsOf,
  HookReceiver,
  outboxOf,
  runnerOf,
  startHookReceiver,
  tenantWithSecret,
  verifySignature,
} from './rotation-fixtures';

const TIMEOUT_MS = 300;
// A path that is a credential of its own, as some receivers' URLs are: it must stay out of logs and audit.
const PATH_TOKEN = `tok-${Math.random().toString(36).slice(2)}`;

let t: TestApp;
let receiver: HookReceiver;
beforeAll(async () => {
  t = await startTestApp({ WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) });
  receiver = await startHookReceiver(`/hooks/${PATH_TOKEN}`);
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

/** A tenant with a secret and a webhook to the receiver; returns the signing secret too. */
async function withWebhook() {
  const s = await tenantWithSecret(t);
  const res = await s.admin.put(`/api/tenants/${s.tenantId}/webhook`, { url: receiver.url });
  expect(res.status).toBe(201);
  return { ...s, signingSecret: res.body.signingSecret as string, webhookId: res.body.id as string };
}

const hooksFor = (tenantId: string) => receiver.received.filter((h) => JSON.parse(h.body).data.tenantId === tenantId);
const later = (ms: number) => new Date(Date.now() + ms);

describe('PUT, GET and DELETE /api/tenants/:tenantId/webhook', () => {
  test('PUT answers 201 with the signing secret once; GET shows url and createdAt, never the secret', async () => {
    const s = await tenantWithSecret(t);
    const base = `/api/tenants/${s.tenantId}/webhook`;
    expect((await s.admin.get(base)).status).toBe(404);
    const put = await s.admin.put(base, { url: receiver.url });
    expect(put.status).toBe(201);
    expect(Object.keys(put.body).sort()).toEqual(['createdAt', 'id', 'signingSecret', 'url']);
    expect(put.body.url).toBe(receiver.url);
    expect(put.body.signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const got = await s.admin.get(base);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ id: put.body.id, url: receiver.url, createdAt: put.body.createdAt });
    expect(JSON.stringify(got.body)).not.toContain(put.body.signingSecret);

    // The stored row holds it sealed, bound to this tenant and webhook.
    const [row] = await t.db.query(`SELECT * FROM webhook_endpoints WHERE tenant_id = $1`, [s.tenantId]);
    expect(row.master_key_id).toBe('test-k1');
    const stored = JSON.stringify(row) + row.ciphertext.toString('latin1');
    expect(stored).not.toContain(put.body.signingSecret);
    expect(stored).not.toContain(put.body.signingSecret.slice(6));
  });

  test('PUT again replaces the URL and the signing secret; DELETE removes it; 404 when there is none', async () => {
    const s = await tenantWithSecret(t);
    const base = `/api/tenants/${s.tenantId}/webhook`;
    const first = await s.admin.put(base, { url: receiver.url });
    const second = await s.admin.put(base, { url: `${receiver.url}/v2` });
    expect(second.status).toBe(201);
    expect(second.body.signingSecret).not.toBe(first.body.signingSecret);
    expect(second.body.id).not.toBe(first.body.id);
    expect((await s.admin.get(base)).body.url).toBe(`${receiver.url}/v2`);
    const removed = await s.admin.delete(base);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ id: second.body.id, url: `${receiver.url}/v2`, createdAt: second.body.createdAt });
    expect((await s.admin.get(base)).status).toBe(404);
    const again = await s.admin.delete(base);
    expect(again.status).toBe(404);
    expect(again.body.message).toMatch(/no webhook.*PUT/);
  });

  test.each([
    [{ url: 'http://hooks.example.com/mv' }, /must use https.*localhost/],
    [{ url: 'ftp://hooks.example.com/mv' }, /https URL/],
    [{ url: 'hooks.example.com/mv' }, /not an absolute URL/],
    [{ url: 'https://user:pw@hooks.example.com/mv' }, /user name or password/],
    [{ url: 42 }, /must be a string/],
    [{}, /must be a string/],
  ])('%j is refused with 400 saying why', async (body, message) => {
    const s = await tenantWithSecret(t);
    const res = await s.admin.put(`/api/tenants/${s.tenantId}/webhook`, body);
    expect(res.status).toBe(400);
    expect(res.body.fields.url.join(' ')).toMatch(message);
    expect((await s.admin.get(`/api/tenants/${s.tenantId}/webhook`)).status).toBe(404);
  });

  test('every change is audited as webhook.changed with the host only, never the secret or the path', async () => {
    const s = await tenantWithSecret(t);
    const base = `/api/tenants/${s.tenantId}/webhook`;
    const put = await s.admin.put(base, { url: receiver.url });
    await s.admin.delete(base);
    const events = await t.db.query(
      `SELECT * FROM audit_events WHERE tenant_id = $1 AND action = 'webhook.changed' ORDER BY seq`,
      [s.tenantId],
    );
    expect(events.map((e: { metadata: unknown }) => e.metadata)).toEqual([
      { change: 'set', scheme: 'http', host: new URL(receiver.url).host },
      { change: 'removed', scheme: 'http', host: new URL(receiver.url).host },
    ]);
    expect(events[0]).toMatchObject({ actor_kind: 'user', target_type: 'webhook', target_id: put.body.id });
    const text = JSON.stringify(events);
    expect(text).not.toContain(put.body.signingSecret);
    expect(text).not.toContain(PATH_TOKEN);
  });
});

describe('webhook deliveries', () => {
  test('a reminder is POSTed as {id, type, createdAt, data}, signed so an independent HMAC verifies it', async () => {
    const s = await withWebhook();
    const report = await runnerOf(t).run({ at: s.day(90), tenantId: s.tenantId });
    expect(report.delivery).toEqual({ delivered: 1, retrying: 0, failed: 0, cancelled: 0 });
    const [hook] = hooksFor(s.tenantId);
    expect(hook).toBeDefined();
    expect(hook!.headers['content-type']).toBe('application/json');
    expect(verifySignature(s.signingSecret, hook!)).toBe(true);
    expect(verifySignature('whsec_someone-else', hook!)).toBe(false);
    expect(verifySignature(s.signingSecret, { ...hook!, body: hook!.body.replace('"due"', '"due_soon"') })).toBe(false);
    const event = JSON.parse(hook!.body);
    expect(Object.keys(event).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
    expect(event).toMatchObject({
      id: report.recorded[0]!.notificationId,
      type: 'secret.rotation_due',
      data: { tenantId: s.tenantId, secretVersion: 1, stage: 'due', rotationDueAt: s.day(90).toISOString() },
    });
    expect(await attemptsOf(t, s.tenantId, 'webhook')).toEqual([
      { attempt: 1, outcome: 'delivered', status_code: 200, error: null },
    ]);
    expect((await outboxOf(t, s.tenantId))[0]).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  test('after a 500 it retries 30 s later, with the same event id and a fresh valid signature; success stops retries', async () => {
    const s = await withWebhook();
    receiver.behave(500);
    const first = await runnerOf(t).run({ at: s.day(80), tenantId: s.tenantId });
    expect(first.delivery).toMatchObject({ delivered: 0, retrying: 1 });
    const [pending] = await outboxOf(t, s.tenantId);
    expect(pending).toMatchObject({ state: 'pending', attempts: 1 });
    expect(pending!.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(20_000);
    // Not due yet: nothing is sent.
    expect(await runnerOf(t).deliverDue({ tenantId: s.tenantId })).toMatchObject({ delivered: 0, retrying: 0 });
    expect(hooksFor(s.tenantId)).toHaveLength(1);

    expect(await runnerOf(t).deliverDue({ tenantId: s.tenantId, now: later(31_000) })).toMatchObject({ delivered: 1 });
    const hooks = hooksFor(s.tenantId);
    expect(hooks).toHaveLength(2);
    expect(new Set(hooks.map((h) => JSON.parse(h.body).id)).size).toBe(1);
    for (const h of hooks) expect(verifySignature(s.signingSecret, h)).toBe(true);
    expect(await attemptsOf(t, s.tenantId, 'webhook')).toEqual([
      { attempt: 1, outcome: 'failed', status_code: 500, error: 'The receiver answered HTTP 500.' },
      { attempt: 2, outcome: 'delivered', status_code: 200, error: null },
    ]);
    await runnerOf(t).deliverDue({ tenantId: s.tenantId, now: later(30 * 86_400_000) });
    expect(hooksFor(s.tenantId)).toHaveLength(2);
  });

  test('a receiver that does not answer in time counts as a failed attempt, and is retried', async () => {
    const s = await withWebhook();
    receiver.behave('hang');
    const started = Date.now();
    const first = await runnerOf(t).run({ at: s.day(100), tenantId: s.tenantId });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
    expect(first.delivery).toMatchObject({ retrying: 1 });
    expect(await runnerOf(t).deliverDue({ tenantId: s.tenantId, now: later(31_000) })).toMatchObject({ delivered: 1 });
    expect(await attemptsOf(t, s.tenantId, 'webhook')).toEqual([
      {
        attempt: 1,
        outcome: 'timeout',
        status_code: null,
        error: `The receiver did not answer within ${TIMEOUT_MS} ms.`,
      },
      { attempt: 2, outcome: 'delivered', status_code: 200, error: null },
    ]);
  });

  test('backs off 30 s, 2 min, 10 min, 1 h, 6 h and gives up after 6 attempts, each recorded', async () => {
    const s = await withWebhook();
    receiver.behave(503, 503, 503, 503, 503, 503);
    await runnerOf(t).run({ at: s.day(100), tenantId: s.tenantId });
    let clock = Date.now();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [row] = await outboxOf(t, s.tenantId);
      waits.push(Math.round((row!.next_attempt_at.getTime() - clock) / 1000));
      clock = row!.next_attempt_at.getTime();
      // The column keeps microseconds, a Date does not: one millisecond later is surely due.
      await runnerOf(t).deliverDue({ tenantId: s.tenantId, now: new Date(clock + 1) });
    }
    // The first wait is from the real clock, so allow it a second.
    expect(waits[0]).toBeGreaterThanOrEqual(29);
    expect(waits.slice(1)).toEqual([120, 600, 3600, 21600]);
    expect((await outboxOf(t, s.tenantId))[0]).toMatchObject({ state: 'failed', attempts: 6 });
    const attempts = await attemptsOf(t, s.tenantId, 'webhook');
    expect(attempts.map((a) => [a.attempt, a.outcome, a.status_code])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [n, 'failed', 503]),
    );
    await runnerOf(t).deliverDue({ tenantId: s.tenantId, now: later(365 * 86_400_000) });
    expect(hooksFor(s.tenantId)).toHaveLength(6);
  });

  test('removing the webhook drops deliveries not yet made', async () => {
    const s = await withWebhook();
    receiver.behave(500);
    await runnerOf(t).run({ at: s.day(100), tenantId: s.tenantId });
    expect((await s.admin.delete(`/api/tenants/${s.tenantId}/webhook`)).status).toBe(200);
    expect(await runnerOf(t).deliverDue({ tenantId: s.tenantId, now: later(60_000) })).toMatchObject({ cancelled: 1 });
    expect((await outboxOf(t, s.tenantId))[0]).toMatchObject({ state: 'cancelled' });
    expect(hooksFor(s.tenantId)).toHaveLength(1);
  });

  test('a refused connection is a failed attempt naming the error code only', async () => {
    const s = await tenantWithSecret(t);
    const dead = await startHookReceiver();
    await dead.close();
    expect((await s.admin.put(`/api/tenants/${s.tenantId}/webhook`, { url: dead.url })).status).toBe(201);
    await runnerOf(t).run({ at: s.day(100), tenantId: s.tenantId });
    expect(await attemptsOf(t, s.tenantId, 'webhook')).toEqual([
      { attempt: 1, outcome: 'failed', status_code: null, error: 'The request did not complete: ECONNREFUSED.' },
    ]);
  });

  test('no signing secret or URL path in any log line, attempt or notification', async () => {
    const s = await withWebhook();
    receiver.behave(500);
    await runnerOf(t).run({ at: s.day(100), tenantId: s.tenantId });
    await runnerOf(t).deliverDue({ tenantId: s.tenantId, now: later(31_000) });
    const attempts = await attemptsOf(t, s.tenantId, 'webhook');
    const notifications = await t.db.query(`SELECT * FROM rotation_notifications WHERE tenant_id = $1`, [s.tenantId]);
    const list = await s.admin.get(`/api/tenants/${s.tenantId}/notifications`);
    for (const text of [
      t.logs.join('\n'),
      JSON.stringify(attempts),
      JSON.stringify(notifications),
      JSON.stringify(list.body),
    ]) {
      expect(text).not.toContain(s.signingSecret);
      expect(text).not.toContain(s.signingSecret.slice(6, 30));
      expect(text).not.toContain(PATH_TOKEN);
    }
    expect(t.logs.join('\n')).toMatch(
      /webhook delivery of notification .* attempt 1\/6 failed: The receiver answered HTTP 500/,
    );
  });
});
