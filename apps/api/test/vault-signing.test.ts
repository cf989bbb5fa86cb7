import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode } from '../src/common/errors';
import { SigningKeyService } from '../src/vault/signing-key.service';
import { startTestApp, TestApp } from './harness';
import { notificationsDelivered } from './vault-notifications';

// Long enough that only a notification, never the TTL, can explain a replica seeing a change.
const LONG_CACHE = { VAULT_CACHE_TTL_SECONDS: '3600' };

let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp(LONG_CACHE), startTestApp(LONG_CACHE)]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

const newSecret = () => `sk_${randomBytes(24).toString('base64url')}`;
const keys = (t: TestApp) => t.app.get(SigningKeyService);

async function saveSecret(t: TestApp, tenantId: string, secret: string, platforms?: string[]) {
  const res = await (await t.staff()).put(`/api/tenants/${tenantId}/intercom/secret`, { secret, platforms });
  if (res.status !== 201) throw new Error(`save failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { version: number; fingerprint: string };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

test('each platform gets the newest active key that serves it, decrypted', async () => {
  const tenant = await a.newTenant();
  const first = newSecret();
  const forIos = newSecret();
  await saveSecret(a, tenant.id, first);
  await saveSecret(a, tenant.id, forIos, ['ios']);
  const web = await keys(a).signingKey(tenant.id, 'web');
  const ios = await keys(a).signingKey(tenant.id, 'ios');
  expect([web.version, web.secret.reveal()]).toEqual([1, first]);
  expect([ios.version, ios.secret.reveal()]).toEqual([2, forIos]);
  expect(JSON.stringify(web)).not.toContain(first);
  expect((await keys(a).verificationKeys(tenant.id)).map((k) => k.version)).toEqual([2, 1]);
});

test('a tenant without a key for the platform gets a 409 error saying to save one', async () => {
  const tenant = await a.newTenant();
  const none = await domainError(keys(a).signingKey(tenant.id, 'web'));
  expect(none.code).toBe(ErrorCode.NoSigningKey);
  expect(none.message).toMatch(/Save the key .* with web among its platforms/);
  await saveSecret(a, tenant.id, newSecret(), ['web']);
  const android = await domainError(keys(a).signingKey(tenant.id, 'android'));
  expect(android.message).toMatch(/signs for Android/);
});

test('a save in one replica reaches the other replica through NOTIFY, not the TTL', async () => {
  const tenant = await a.newTenant();
  await saveSecret(a, tenant.id, newSecret());
  expect((await keys(b).signingKey(tenant.id, 'web')).version).toBe(1);

  const replacement = newSecret();
  await saveSecret(a, tenant.id, replacement);
  const seen = await eventually(
    () => keys(b).signingKey(tenant.id, 'web'),
    (k) => k.version === 2,
  );
  expect([seen.version, seen.secret.reveal()]).toEqual([2, replacement]);
});

test('a replica serves its cached key without a database read until a notification drops it', async () => {
  const tenant = await a.newTenant();
  const first = newSecret();
  await saveSecret(a, tenant.id, first);
  await saveSecret(a, tenant.id, newSecret());
  await notificationsDelivered(b);
  expect((await keys(b).signingKey(tenant.id, 'web')).version).toBe(2);

  // Behind the API's back, and without a notification: the cache can't know.
  await b.db.query(
    `UPDATE secret_versions SET state = 'retired', retired_at = now() WHERE tenant_id = $1 AND version = 2`,
    [tenant.id],
  );
  await b.db.query(`UPDATE secret_versions SET state = 'active' WHERE tenant_id = $1 AND version = 1`, [tenant.id]);
  expect((await keys(b).signingKey(tenant.id, 'web')).version).toBe(2);

  await a.db.query(`SELECT pg_notify('mv_changes', 'secret:' || $1)`, [tenant.id]);
  const seen = await eventually(
    () => keys(b).signingKey(tenant.id, 'web'),
    (k) => k.version === 1,
  );
  expect(seen.secret.reveal()).toBe(first);
});

test("a ciphertext row copied over another tenant's row fails with a clear error, never signs with the other key", async () => {
  const victim = await a.newTenant();
  const source = await a.newTenant();
  await saveSecret(a, victim.id, newSecret());
  const sourceSecret = newSecret();
  await saveSecret(a, source.id, sourceSecret);

  await a.db.query(
    `UPDATE secret_versions v
        SET ciphertext = s.ciphertext, iv = s.iv, wrapped_key = s.wrapped_key, master_key_id = s.master_key_id
       FROM secret_versions s
      WHERE v.tenant_id = $1 AND v.version = 1 AND s.tenant_id = $2 AND s.version = 1`,
    [victim.id, source.id],
  );
  await a.db.query(`SELECT pg_notify('mv_changes', 'secret:' || $1)`, [victim.id]);
  keys(a).invalidate(victim.id);

  const err = await domainError(keys(a).signingKey(victim.id, 'web'));
  expect(err.code).toBe(ErrorCode.SecretUndecryptable);
  expect(err.message).toMatch(/can't be decrypted for this tenant/);
  expect(err.message).toMatch(/Save the Messenger API secret key again/);
  expect(err.message).not.toContain(sourceSecret);
  expect(await keys(a).verificationKeys(victim.id)).toEqual([]);
  // The source tenant still signs with its own key.
  expect((await keys(a).signingKey(source.id, 'web')).secret.reveal()).toBe(sourceSecret);
  // Nest's Logger writes through the app created last, so look in both replicas' lines.
  expect([...a.logs, ...b.logs].join('\n')).toMatch(/secret version 1 of tenant .* won't open \(DECRYPTION_FAILED\)/);

  // Saving the secret again repairs it.
  const fresh = newSecret();
  await saveSecret(a, victim.id, fresh);
  expect((await keys(a).signingKey(victim.id, 'web')).secret.reveal()).toBe(fresh);
});

test('after a restart with the same keyring, the same secret comes back', async () => {
  const first = await startTestApp();
  const tenant = await first.newTenant();
  const secret = newSecret();
  let saved: { version: number; fingerprint: string };
  try {
    saved = await saveSecret(first, tenant.id, secret, ['web', 'android']);
  } finally {
    await first.close();
  }
  const restarted = await startTestApp();
  try {
    const key = await keys(restarted).signingKey(tenant.id, 'android');
    expect(key.version).toBe(saved.version);
    expect(key.secret.reveal()).toBe(secret);
    expect(key.secret.fingerprint).toBe(saved.fingerprint);
    const page = await (await restarted.staff()).get(`/api/tenants/${tenant.id}/intercom`);
    expect(page.body.secret.fingerprint).toBe(saved.fingerprint);
  } finally {
    await restarted.close();
  }
});
