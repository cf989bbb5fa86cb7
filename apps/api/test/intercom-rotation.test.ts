import { createHmac, randomBytes } from 'node:crypto';
import { DAY_MS } from '@messenger-vault/contracts';
import { jwtVerify } from 'jose';
import { Metrics } from '../src/core/metrics';
import { RotationRunner } from '../src/intercom-rotation/rotation-runner';
import { ReminderRunner } from '../src/rotation/reminder-runner';
import { type Client, startTestApp, type TestApp } from './harness';
import { startHookReceiver, verifySignature } from './rotation-fixtures';
import { IntercomStandIn, type StandInWorkspace } from './intercom-stand-in';

// The rotation worker runs in this file's app only (the harness turns it off elsewhere): the
// runs of every test below are advanced by the real pg-boss queue against the stand-in.
const intercom = new IntercomStandIn();
let t: TestApp;

beforeAll(async () => {
  await intercom.start();
  t = await startTestApp({
    INTERCOM_API_URL: intercom.url,
    INTERCOM_TIMEOUT_MS: '400',
    INTERCOM_ROTATION_WORKER: 'true',
    INTERCOM_ROTATION_POLL_MS: '500',
    INTERCOM_ROTATION_RETRY_MS: '50',
  });
});
afterEach(() => intercom.reset());
afterAll(async () => {
  await t.close();
  await intercom.stop();
});

let seq = 0;
const hex = () => randomBytes(32).toString('hex');

interface Setup {
  tenantId: string;
  admin: Client;
  base: string;
  ws: StandInWorkspace;
  token: string;
  /** The secret values the tenant had before, by version. */
  old: Map<number, { value: string; intercomId: string | null }>;
}

/**
 * A connected tenant with one secret per entry of `versions` (platforms), pasted by hand and
 * linked to the Intercom secret it is unless `link` is false.
 */
async function setup(
  options: {
    versions?: Array<Array<'web' | 'ios' | 'android'>>;
    link?: boolean;
    mode?: 'jwt' | 'hmac';
    scopes?: string[];
  } = {},
): Promise<Setup> {
  const tenant = await t.newTenant();
  const { client: admin } = await t.newTenantAdmin(tenant.id);
  const ws: StandInWorkspace = {
    id_code: `rot${(seq += 1)}${Date.now().toString(36)}`,
    name: `Rotation WS ${seq}`,
    region: 'US',
    identity_verification: true,
  };
  const base = `/api/tenants/${tenant.id}/intercom`;
  expect((await admin.put(`${base}/app-id`, { appId: ws.id_code })).status).toBe(200);
  if (options.mode) expect((await admin.patch(`${base}/settings`, { identityMode: options.mode })).status).toBe(200);
  const old = new Map<number, { value: string; intercomId: string | null }>();
  for (const platforms of options.versions ?? [['web', 'ios', 'android']]) {
    const value = hex();
    const inIntercom = intercom.addSecret(ws.id_code, {
      name: `Pasted ${platforms.join('+')}`,
      supports_web: platforms.includes('web'),
      supports_ios: platforms.includes('ios'),
      supports_android: platforms.includes('android'),
      secret: value,
    });
    const saved = await admin.put(`${base}/secret`, { secret: value, platforms });
    expect(saved.status).toBe(201);
    const linked = options.link !== false;
    if (linked) {
      await t.db.query(`UPDATE secret_versions SET intercom_secret_id = $3 WHERE tenant_id = $1 AND version = $2`, [
        tenant.id,
        saved.body.version,
        inIntercom.id,
      ]);
    }
    old.set(saved.body.version, { value, intercomId: linked ? inIntercom.id : null });
  }
  const token = intercom.issue(ws, options.scopes);
  expect((await admin.put(`${base}/connection`, { accessToken: token })).status).toBe(200);
  return { tenantId: tenant.id, admin, base, ws, token, old };
}

async function waitFor(s: Setup, id: string, states: string[], timeoutMs = 20_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await s.admin.get(`${s.base}/rotations/${id}`);
    expect(res.status).toBe(200);
    if (states.includes(res.body.state)) return res.body;
    if (Date.now() > until) throw new Error(`rotation stayed ${res.body.state}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const versions = (
  tenantId: string,
): Promise<Array<{ version: number; state: string; intercom_secret_id: string | null }>> =>
  t.db.query(`SELECT version, state, intercom_secret_id FROM secret_versions WHERE tenant_id = $1 ORDER BY version`, [
    tenantId,
  ]);

const auditActions = async (tenantId: string): Promise<string[]> =>
  (
    (await t.db.query(`SELECT action FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, [tenantId])) as Array<{
      action: string;
    }>
  ).map((r) => r.action);

const rotationSecrets = (s: Setup, rotationId: string) =>
  intercom.liveSecrets(s.ws.id_code).filter((x) => x.name.includes(rotationId));

async function testToken(s: Setup, platform = 'web') {
  const res = await s.admin.post(`${s.base}/test-token`, { user_id: 'u-42', platform });
  expect(res.status).toBe(200);
  return res.body as { mode: 'jwt' | 'hmac'; token?: string; userHash?: string; keyVersion: number };
}

/** Whether Intercom would accept the token with this secret value: JWT signature or HMAC user hash. */
async function verifiesWith(
  tok: { mode: string; token?: string; userHash?: string },
  secret: string,
): Promise<boolean> {
  if (tok.mode === 'hmac') return tok.userHash === createHmac('sha256', secret).update('u-42').digest('hex');
  try {
    await jwtVerify(tok.token!, new TextEncoder().encode(secret));
    return true;
  } catch {
    return false;
  }
}

describe('a rotation run, end to end against the stand-in', () => {
  test('creates, stores and links the new secret, overlaps, then (finish now) deletes the old one and retires it', async () => {
    const s = await setup();
    const [oldVersion, old] = [...s.old][0]!;
    const before = await testToken(s);
    expect(await verifiesWith(before, old.value)).toBe(true);
    const started = t.app.get(Metrics).intercomRotations;
    const doneBefore = (await started.get()).values.find((v) => v.labels.outcome === 'done')?.value ?? 0;

    const res = await s.admin.post(`${s.base}/rotations`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: expect.any(String), state: 'creating', trigger: 'manual' });
    expect(res.body.items).toEqual([
      expect.objectContaining({
        oldVersion,
        platforms: ['web', 'ios', 'android'],
        oldIntercomSecretId: old.intercomId,
      }),
    ]);
    const overlapping = await waitFor(s, res.body.id, ['overlapping']);
    // Overlap: the default token lifetime (3600 s) plus 5 minutes.
    expect(overlapping.overlapSeconds).toBe(3900);
    const endsIn = Date.parse(overlapping.overlapEndsAt) - Date.parse(overlapping.timeline[1].at);
    expect(endsIn).toBe(3900_000);

    // Exactly one new secret in Intercom, with the old platforms, stored as the active version and linked.
    const created = rotationSecrets(s, res.body.id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ supports_web: true, supports_ios: true, supports_android: true });
    const newVersion = overlapping.items[0].newVersion;
    expect(overlapping.items[0].newIntercomSecretId).toBe(created[0]!.id);
    expect(await versions(s.tenantId)).toEqual([
      { version: oldVersion, state: 'previous', intercom_secret_id: old.intercomId },
      { version: newVersion, state: 'active', intercom_secret_id: created[0]!.id },
    ]);
    // During the overlap: new tokens are signed with the new secret; the old one is still live in Intercom.
    const during = await testToken(s, 'ios');
    expect(during.keyVersion).toBe(newVersion);
    expect(await verifiesWith(during, created[0]!.secret)).toBe(true);
    expect(await verifiesWith(during, old.value)).toBe(false);
    expect(intercom.liveSecrets(s.ws.id_code).some((x) => x.id === old.intercomId)).toBe(true);
    expect(await verifiesWith(before, old.value)).toBe(true);

    const finished = await s.admin.post(`${s.base}/rotations/${res.body.id}/finish`);
    expect(finished.status).toBe(200);
    expect(finished.body.finishedEarly).toBe(true);
    const done = await waitFor(s, res.body.id, ['done']);
    expect(done.timeline.map((x: { state: string }) => x.state)).toEqual([
      'creating',
      'overlapping',
      'deleting_old',
      'done',
    ]);
    expect(done.items[0]).toMatchObject({ oldDeleted: true, removeByHand: false });
    expect(intercom.liveSecrets(s.ws.id_code).map((x) => x.id)).toEqual([created[0]!.id]);
    expect(intercom.deleted.map((d) => d.secret.id)).toContain(old.intercomId);
    expect((await versions(s.tenantId)).map((v) => v.state)).toEqual(['retired', 'active']);
    expect(await verifiesWith(await testToken(s), created[0]!.secret)).toBe(true);

    expect(await auditActions(s.tenantId)).toEqual(
      expect.arrayContaining([
        'intercom.rotation.started',
        'intercom.secret.saved',
        'intercom.rotation.secret_created',
        'intercom.rotation.overlapping',
        'intercom.rotation.finish_requested',
        'intercom.rotation.deleting_old',
        'intercom.rotation.old_secret_deleted',
        'intercom.secret.retired',
        'intercom.rotation.done',
      ]),
    );
    const notes = await s.admin.get(`/api/tenants/${s.tenantId}/notifications`);
    expect(notes.body.items.map((n: { stage: string }) => n.stage)).toEqual(['rotated', 'rotation_started']);
    expect(notes.body.items[0].title).toBe(`Messenger secret version ${oldVersion} was rotated`);
    const doneAfter = (await started.get()).values.find((v) => v.labels.outcome === 'done')!.value;
    expect(doneAfter).toBe(doneBefore + 1);
    const listed = await s.admin.get(`${s.base}/rotations`);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
  });

  test('a tenant with a secret per platform rotates each; legacy HMAC tenants the same way', async () => {
    const s = await setup({ versions: [['web'], ['ios', 'android']], mode: 'hmac' });
    const res = await s.admin.post(`${s.base}/rotations`);
    expect(res.status).toBe(202);
    expect(res.body.items.map((i: { platforms: string[] }) => i.platforms)).toEqual([['web'], ['ios', 'android']]);
    await s.admin.post(`${s.base}/rotations/${res.body.id}/finish`);
    const done = await waitFor(s, res.body.id, ['done']);
    const created = rotationSecrets(s, res.body.id);
    expect(created.map((c) => [c.supports_web, c.supports_ios, c.supports_android])).toEqual([
      [true, false, false],
      [false, true, true],
    ]);
    expect(intercom.liveSecrets(s.ws.id_code)).toHaveLength(2);
    expect((await versions(s.tenantId)).map((v) => v.state)).toEqual(['retired', 'retired', 'active', 'active']);
    const web = await testToken(s, 'web');
    const android = await testToken(s, 'android');
    expect(web.mode).toBe('hmac');
    expect(await verifiesWith(web, created.find((c) => c.supports_web)!.secret)).toBe(true);
    expect(await verifiesWith(android, created.find((c) => c.supports_android)!.secret)).toBe(true);
    expect(done.items.every((i: { oldDeleted: boolean }) => i.oldDeleted)).toBe(true);
  });

  test('with no Intercom secret linked, nothing is deleted there and the run says to remove it by hand', async () => {
    const s = await setup({ link: false });
    const res = await s.admin.post(`${s.base}/rotations`);
    await s.admin.post(`${s.base}/rotations/${res.body.id}/finish`);
    const done = await waitFor(s, res.body.id, ['done']);
    expect(done.items[0]).toMatchObject({ oldDeleted: false, removeByHand: true });
    expect(intercom.liveSecrets(s.ws.id_code)).toHaveLength(2);
    expect((await versions(s.tenantId)).map((v) => v.state)).toEqual(['retired', 'active']);
    const notes = await s.admin.get(`/api/tenants/${s.tenantId}/notifications`);
    expect(notes.body.items[0].message).toContain('delete the old secret in Intercom');
  });

  test('finish on a run still creating ends the overlap as soon as the secret is stored', async () => {
    const s = await setup();
    intercom.inject({ method: 'POST', path: '/secure_mode_secrets', fault: 'slow', delayMs: 300 });
    const res = await s.admin.post(`${s.base}/rotations`);
    const finished = await s.admin.post(`${s.base}/rotations/${res.body.id}/finish`);
    expect(finished.status).toBe(200);
    const done = await waitFor(s, res.body.id, ['done']);
    expect(done.finishedEarly).toBe(true);
    expect(Date.parse(done.overlapEndsAt) - Date.parse(done.timeline[1].at)).toBeLessThan(1000);
  });
});

describe('faults', () => {
  test('a create whose answer is lost leaves an orphan that the retry finds by name, deletes and replaces', async () => {
    const s = await setup();
    intercom.inject({ method: 'POST', path: '/secure_mode_secrets', fault: 'drop_after' });
    const res = await s.admin.post(`${s.base}/rotations`);
    const overlapping = await waitFor(s, res.body.id, ['overlapping']);
    const created = rotationSecrets(s, res.body.id);
    expect(created).toHaveLength(1);
    expect(overlapping.items[0].newIntercomSecretId).toBe(created[0]!.id);
    const orphans = intercom.deleted.filter((d) => d.secret.name.includes(res.body.id));
    expect(orphans).toHaveLength(1);
    expect(orphans[0]!.secret.id).not.toBe(created[0]!.id);
    expect(await auditActions(s.tenantId)).toEqual(
      expect.arrayContaining(['intercom.rotation.retry_scheduled', 'intercom.rotation.orphan_deleted']),
    );
    // The stored version is the secret Intercom kept, not the lost one.
    expect(await verifiesWith(await testToken(s), created[0]!.secret)).toBe(true);
  });

  test('429 waits for X-RateLimit-Reset before trying again', async () => {
    const s = await setup();
    intercom.inject({ method: 'POST', path: '/secure_mode_secrets', fault: 'rate_limit', resetInSeconds: 2 });
    const startedAt = Date.now();
    const res = await s.admin.post(`${s.base}/rotations`);
    const waiting = await waitFor(s, res.body.id, ['creating', 'overlapping']);
    const overlapping = await waitFor(s, res.body.id, ['overlapping']);
    expect(Date.parse(overlapping.timeline[1].at) - startedAt).toBeGreaterThanOrEqual(1000);
    expect(waiting.state === 'overlapping' || waiting.attempts <= 1).toBe(true);
    const posts = intercom.requests.filter((r) => r.method === 'POST' && r.body.includes(res.body.id));
    expect(posts).toHaveLength(2);
    expect(rotationSecrets(s, res.body.id)).toHaveLength(1);
  });

  test('500s and silent answers are retried with backoff; the run goes on', async () => {
    const s = await setup();
    intercom.inject({ method: 'POST', path: '/secure_mode_secrets', fault: 'server_error', times: 2 });
    intercom.inject({ method: 'POST', path: '/secure_mode_secrets', fault: 'slow' });
    const res = await s.admin.post(`${s.base}/rotations`);
    await waitFor(s, res.body.id, ['overlapping']);
    const retries: Array<{ metadata: { kind: string; status: number | null } }> = await t.db.query(
      `SELECT metadata FROM audit_events WHERE tenant_id = $1 AND action = 'intercom.rotation.retry_scheduled' ORDER BY seq`,
      [s.tenantId],
    );
    expect(retries.map((r) => [r.metadata.kind, r.metadata.status])).toEqual([
      ['unavailable', 500],
      ['unavailable', 500],
      ['unavailable', null],
    ]);
    expect(rotationSecrets(s, res.body.id)).toHaveLength(1);
  });

  test('a 5xx on delete is retried; 404 on delete (already gone) counts as done', async () => {
    const s = await setup();
    const res = await s.admin.post(`${s.base}/rotations`);
    await waitFor(s, res.body.id, ['overlapping']);
    intercom.inject({ method: 'DELETE', fault: 'server_error' });
    await s.admin.post(`${s.base}/rotations/${res.body.id}/finish`);
    expect((await waitFor(s, res.body.id, ['done'])).items[0].oldDeleted).toBe(true);

    const s2 = await setup();
    const [, old2] = [...s2.old][0]!;
    const res2 = await s2.admin.post(`${s2.base}/rotations`);
    await waitFor(s2, res2.body.id, ['overlapping']);
    const list = intercom.liveSecrets(s2.ws.id_code);
    list.splice(
      list.findIndex((x) => x.id === old2.intercomId),
      1,
    );
    await s2.admin.post(`${s2.base}/rotations/${res2.body.id}/finish`);
    expect((await waitFor(s2, res2.body.id, ['done'])).items[0].oldDeleted).toBe(true);
  });

  test('a revoked token stops the run with a reason the admin can act on', async () => {
    const s = await setup();
    intercom.revoke(s.token);
    const res = await s.admin.post(`${s.base}/rotations`);
    const failed = await waitFor(s, res.body.id, ['failed']);
    expect(failed.reason).toMatch(/401.*revoked.*Connect Intercom again/);
    expect(await versions(s.tenantId)).toHaveLength(1);
    // The 401 also marks the connection broken, so the card and the setup tell the admin (decision 0040).
    const [conn] = await t.db.query(`SELECT broken_at FROM intercom_connections WHERE tenant_id = $1`, [s.tenantId]);
    expect(conn.broken_at).toBeInstanceOf(Date);
    const notes = await s.admin.get(`/api/tenants/${s.tenantId}/notifications`);
    expect(notes.body.items[0]).toMatchObject({ stage: 'rotation_failed', message: failed.reason });
    // A failed run frees the tenant for another.
    expect((await s.admin.post(`${s.base}/rotations`)).status).toBe(202);
  });

  test('a token revoked during the overlap fails the delete with what is left to do by hand, not "rotate again"', async () => {
    const s = await setup();
    const res = await s.admin.post(`${s.base}/rotations`);
    await waitFor(s, res.body.id, ['overlapping']);
    intercom.revoke(s.token);
    await s.admin.post(`${s.base}/rotations/${res.body.id}/finish`);
    const failed = await waitFor(s, res.body.id, ['failed']);
    expect(failed.reason).toContain('The new secret already signs every token (version 2); do not rotate again');
    expect(failed.reason).toContain(`Intercom id ${s.old.get(1)!.intercomId}`);
    expect(failed.reason).toContain('retire version 1 in step 2');
    expect((await versions(s.tenantId)).map((v) => v.state)).toEqual(['previous', 'active']);
  });

  test('a token without write_secure_mode_secret stops the run and names the scope', async () => {
    const s = await setup({ scopes: ['read_admins', 'read_secure_mode_secret'] });
    const res = await s.admin.post(`${s.base}/rotations`);
    const failed = await waitFor(s, res.body.id, ['failed']);
    expect(failed.reason).toMatch(/403.*write_secure_mode_secret/);
    expect(intercom.liveSecrets(s.ws.id_code)).toHaveLength(1);
  });
});

describe('the routes', () => {
  test('409 while another run is live, and without a connection or a secret', async () => {
    const s = await setup();
    const first = await s.admin.post(`${s.base}/rotations`);
    const second = await s.admin.post(`${s.base}/rotations`);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('rotation_in_progress');
    await waitFor(s, first.body.id, ['overlapping']);
    expect((await s.admin.post(`${s.base}/rotations`)).body.code).toBe('rotation_in_progress');
    await s.admin.post(`${s.base}/rotations/${first.body.id}/finish`);
    await waitFor(s, first.body.id, ['done']);

    const tenant = await t.newTenant();
    const { client } = await t.newTenantAdmin(tenant.id);
    const none = await client.post(`/api/tenants/${tenant.id}/intercom/rotations`);
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('intercom_not_connected');
    expect(none.body.message).toContain('write_secure_mode_secret');
  });

  test('finish on a failed run is 409; an unknown or malformed id is 404; bodies and bad limits are 400', async () => {
    const s = await setup();
    intercom.revoke(s.token);
    const res = await s.admin.post(`${s.base}/rotations`);
    await waitFor(s, res.body.id, ['failed']);
    const finish = await s.admin.post(`${s.base}/rotations/${res.body.id}/finish`);
    expect(finish.status).toBe(409);
    expect(finish.body.code).toBe('rotation_not_overlapping');
    expect((await s.admin.get(`${s.base}/rotations/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await s.admin.get(`${s.base}/rotations/not-a-uuid`)).status).toBe(404);
    expect((await s.admin.post(`${s.base}/rotations`, { force: true })).status).toBe(400);
    expect((await s.admin.get(`${s.base}/rotations?limit=0`)).status).toBe(400);
  });

  test("tenant isolation: another tenant's admin reaches none of the routes; staff reach all", async () => {
    const a = await setup();
    const b = await setup();
    const run = await a.admin.post(`${a.base}/rotations`);
    await waitFor(a, run.body.id, ['overlapping']);
    const paths = [
      ['POST', `${a.base}/rotations`],
      ['GET', `${a.base}/rotations`],
      ['GET', `${a.base}/rotations/${run.body.id}`],
      ['POST', `${a.base}/rotations/${run.body.id}/finish`],
    ] as const;
    for (const [method, path] of paths) {
      const res = await b.admin.request(method, path, method === 'POST' ? {} : undefined);
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    // B's own routes do not see A's run either.
    expect((await b.admin.get(`${b.base}/rotations/${run.body.id}`)).status).toBe(404);
    expect((await b.admin.post(`${b.base}/rotations/${run.body.id}/finish`)).status).toBe(404);
    expect((await a.admin.get(`${a.base}/rotations/${run.body.id}`)).body.state).toBe('overlapping');
    const staff = await t.staff();
    expect((await staff.get(`${a.base}/rotations/${run.body.id}`)).status).toBe(200);
    expect((await staff.post(`${a.base}/rotations/${run.body.id}/finish`)).status).toBe(200);
    await waitFor(a, run.body.id, ['done']);
    expect(t.app.get(Metrics).intercomRotations).toBeDefined();
  });

  test('no secret and no access token ever appears in a response, the audit trail, a notification, the run or the logs', async () => {
    const s = await setup();
    intercom.inject({ method: 'POST', path: '/secure_mode_secrets', fault: 'drop_after' });
    const res = await s.admin.post(`${s.base}/rotations`);
    const bodies: unknown[] = [res.body];
    bodies.push(await waitFor(s, res.body.id, ['overlapping']));
    bodies.push((await s.admin.post(`${s.base}/rotations/${res.body.id}/finish`)).body);
    bodies.push(await waitFor(s, res.body.id, ['done']));
    bodies.push((await s.admin.get(`${s.base}/rotations`)).body);
    bodies.push((await s.admin.get(`/api/tenants/${s.tenantId}/notifications`)).body);
    // A failing run too: its reason and errors.
    intercom.revoke(s.token);
    const failing = await s.admin.post(`${s.base}/rotations`);
    bodies.push(await waitFor(s, failing.body.id, ['failed']));

    const values = [
      s.token,
      ...[...s.old.values()].map((o) => o.value),
      ...intercom.deleted.filter((d) => d.appId === s.ws.id_code).map((d) => d.secret.secret),
      ...intercom.liveSecrets(s.ws.id_code).map((x) => x.secret),
    ];
    expect(values.length).toBeGreaterThanOrEqual(4);
    const stored = JSON.stringify([
      await t.db.query(`SELECT * FROM audit_events WHERE tenant_id = $1`, [s.tenantId]),
      await t.db.query(`SELECT * FROM intercom_rotations WHERE tenant_id = $1`, [s.tenantId]),
      await t.db.query(`SELECT * FROM rotation_notifications WHERE tenant_id = $1`, [s.tenantId]),
    ]);
    const seen = [JSON.stringify(bodies), stored, t.logs.join('\n')].join('\n');
    for (const value of values) expect(seen.includes(value)).toBe(false);
    // The check can fail: the stand-in did hand out those values, and the new one signs.
    expect(await verifiesWith(await testToken(s), intercom.liveSecrets(s.ws.id_code).at(-1)!.secret)).toBe(true);
  });
});

describe('autoRotate', () => {
  test('off by default; on, the reminder job rotates a due version itself and its reminders say when', async () => {
    const s = await setup();
    const manual = await setup();
    const settings = await s.admin.patch(`${s.base}/settings`, {});
    expect(settings.body.autoRotate).toBe(false);
    const on = await s.admin.patch(`${s.base}/settings`, { autoRotate: true });
    expect(on.status).toBe(200);
    expect(on.body.autoRotate).toBe(true);
    // The staff overview shows the setting per tenant. The suites share one database, so the
    // first page need not hold these two: search each by its APP_ID.
    const staff = await t.staff();
    const row = async (x: Setup) =>
      (
        (await staff.get(`/api/staff/integrations?q=${x.ws.id_code}`)).body.items as Array<{
          tenantId: string;
          autoRotate: boolean;
        }>
      ).find((r) => r.tenantId === x.tenantId);
    expect((await row(s))?.autoRotate).toBe(true);
    expect((await row(manual))?.autoRotate).toBe(false);
    const bad = await s.admin.patch(`${s.base}/settings`, { autoRotate: 'yes' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('autoRotate must be true or false');

    const createdAt = async (x: Setup) =>
      (
        (await t.db.query(`SELECT created_at FROM secret_versions WHERE tenant_id = $1`, [x.tenantId])) as Array<{
          created_at: Date;
        }>
      )[0]!.created_at.getTime();
    const due = (await createdAt(s)) + 90 * DAY_MS;
    const runner = t.app.get(ReminderRunner);

    await runner.run({ at: new Date(due - 5 * DAY_MS), tenantId: s.tenantId });
    expect((await s.admin.get(`${s.base}/rotations`)).body.items).toEqual([]);
    const soon = (await s.admin.get(`/api/tenants/${s.tenantId}/notifications`)).body.items[0];
    expect(soon).toMatchObject({ stage: 'due_soon' });
    expect(soon.title).toBe(
      `Messenger secret version 1 will be rotated automatically on ${new Date(due).toISOString().slice(0, 10)}`,
    );
    expect(soon.message).toContain('Nothing to do');

    await runner.run({ at: new Date(due + 1), tenantId: s.tenantId });
    const runs = (await s.admin.get(`${s.base}/rotations`)).body.items;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'auto', items: [expect.objectContaining({ oldVersion: 1 })] });
    const stages = (await s.admin.get(`/api/tenants/${s.tenantId}/notifications`)).body.items.map(
      (n: { stage: string; title: string }) => n.stage,
    );
    expect(stages).toEqual(expect.arrayContaining(['due', 'rotation_started']));
    const started: Array<{ action: string; actor_kind: string }> = await t.db.query(
      `SELECT action, actor_kind FROM audit_events WHERE tenant_id = $1 AND action = 'intercom.rotation.started'`,
      [s.tenantId],
    );
    expect(started).toEqual([{ action: 'intercom.rotation.started', actor_kind: 'system' }]);
    await s.admin.post(`${s.base}/rotations/${runs[0].id}/finish`);
    await waitFor(s, runs[0].id, ['done']);
    // The new version is not due: the next scan starts nothing.
    await runner.run({ at: new Date(due + 1), tenantId: s.tenantId });
    expect((await s.admin.get(`${s.base}/rotations`)).body.items).toHaveLength(1);

    // Without autoRotate, a due version gets the reminder that asks a person, and no run.
    await runner.run({ at: new Date((await createdAt(manual)) + 90 * DAY_MS + 60_000), tenantId: manual.tenantId });
    expect((await manual.admin.get(`${manual.base}/rotations`)).body.items).toEqual([]);
    const asked = (await manual.admin.get(`/api/tenants/${manual.tenantId}/notifications`)).body.items[0];
    expect(asked.stage).toBe('due');
    expect(asked.message).toContain('Create a new Messenger API secret key');
  });
});

describe('notifications through the existing channels', () => {
  test('webhook events secret.rotation_started, secret.rotated and secret.rotation_failed go out signed through the outbox; /metrics counts runs', async () => {
    const receiver = await startHookReceiver('/hooks/rotation');
    try {
      const s = await setup();
      const hook = await s.admin.put(`/api/tenants/${s.tenantId}/webhook`, { url: receiver.url });
      expect(hook.status).toBe(201);
      const ok = await s.admin.post(`${s.base}/rotations`);
      await s.admin.post(`${s.base}/rotations/${ok.body.id}/finish`);
      await waitFor(s, ok.body.id, ['done']);
      intercom.revoke(s.token);
      const bad = await s.admin.post(`${s.base}/rotations`);
      await waitFor(s, bad.body.id, ['failed']);
      await t.app.get(ReminderRunner).deliverDue({ tenantId: s.tenantId });
      const until = Date.now() + 10_000;
      const events = () =>
        receiver.received
          .map((h) => ({ ...h, event: JSON.parse(h.body) }))
          .filter((h) => h.event.data.tenantId === s.tenantId);
      while (events().length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const got = events();
      expect(got.map((h) => [h.event.type, h.event.data.rotationId]).sort()).toEqual(
        [
          ['secret.rotated', ok.body.id],
          ['secret.rotation_failed', bad.body.id],
          ['secret.rotation_started', bad.body.id],
          ['secret.rotation_started', ok.body.id],
        ].sort(),
      );
      for (const h of got) expect(verifySignature(hook.body.signingSecret, h)).toBe(true);
      const rotated = got.find((h) => h.event.type === 'secret.rotated')!.event;
      expect(rotated.data).toMatchObject({ secretVersion: 1, newVersions: [2], removeByHand: [] });
      expect(got.find((h) => h.event.type === 'secret.rotation_failed')!.event.data.message).toContain('401');

      const metrics = await t.client().get('/metrics');
      expect(metrics.body).toMatch(/messenger_vault_intercom_rotations_total\{outcome="done"\} [1-9]/);
      expect(metrics.body).toMatch(/messenger_vault_intercom_rotations_total\{outcome="failed"\} [1-9]/);
    } finally {
      await receiver.close();
    }
  });
});

describe('exactly once across replicas', () => {
  test('two replicas advancing the same run at once make one call to create and store one version', async () => {
    const replica = await startTestApp({
      INTERCOM_API_URL: intercom.url,
      INTERCOM_TIMEOUT_MS: '2000',
      INTERCOM_ROTATION_WORKER: 'true',
      INTERCOM_ROTATION_POLL_MS: '500',
      INTERCOM_ROTATION_RETRY_MS: '50',
    });
    try {
      const s = await setup();
      // A slow create keeps the first step's lock held while both replicas push the run.
      intercom.inject({ method: 'POST', path: '/secure_mode_secrets', fault: 'slow', delayMs: 300 });
      const res = await s.admin.post(`${s.base}/rotations`);
      const runners = [t.app.get(RotationRunner), replica.app.get(RotationRunner)];
      await Promise.all([...runners, ...runners].map((r) => r.advance(res.body.id)));
      const overlapping = await waitFor(s, res.body.id, ['overlapping']);
      const creates = intercom.requests.filter((r) => r.method === 'POST' && r.body.includes(res.body.id));
      expect(creates).toHaveLength(1);
      expect(rotationSecrets(s, res.body.id)).toHaveLength(1);
      expect(intercom.deleted.filter((d) => d.secret.name.includes(res.body.id))).toEqual([]);
      expect((await versions(s.tenantId)).map((v) => v.state)).toEqual(['previous', 'active']);
      expect(overlapping.items[0].newVersion).toBe(2);
      await s.admin.post(`${s.base}/rotations/${res.body.id}/finish`);
      await Promise.all(runners.map((r) => r.advance(res.body.id)));
      await waitFor(s, res.body.id, ['done']);
      expect(
        intercom.requests.filter((r) => r.method === 'DELETE' && r.url.endsWith(`/${s.old.get(1)!.intercomId}`)),
      ).toHaveLength(1);
    } finally {
      await replica.close();
    }
  });
});
