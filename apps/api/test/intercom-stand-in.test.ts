import { IntercomStandIn } from './intercom-stand-in';

// The browser and chaos tests run the plain-Node twin; both must answer alike, so every case
// here runs against each of them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const twin = require('../../../tests/e2e/support/intercom-stand-in.mjs') as { IntercomStandIn: typeof IntercomStandIn };

const workspace = { id_code: 'standin1', name: 'Stand-in', region: 'US', identity_verification: true };

describe.each([
  ['TypeScript stand-in', IntercomStandIn],
  ['plain-Node twin', twin.IntercomStandIn],
])('%s', (_name, StandIn) => {
  const intercom = new StandIn();
  let token: string;
  beforeAll(() => intercom.start());
  afterAll(() => intercom.stop());
  beforeEach(() => {
    intercom.reset();
    token = intercom.issue(workspace);
  });

  const call = (method: string, path: string, body?: unknown, version = 'Preview', bearer = token) =>
    fetch(`${intercom.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        accept: 'application/json',
        'intercom-version': version,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  test('creates a secret, shows its value once, lists metadata only, deletes it, 404 after', async () => {
    const created = await call('POST', '/secure_mode_secrets', { name: 'mv-a', supports_web: true });
    expect(created.status).toBe(200);
    const secret = (await created.json()) as Record<string, unknown>;
    expect(secret).toMatchObject({
      type: 'identity_verification_secret',
      name: 'mv-a',
      supports_web: true,
      supports_ios: false,
    });
    expect(secret.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof secret.id).toBe('string');

    const list = (await (await call('GET', '/secure_mode_secrets')).json()) as {
      type: string;
      data: Array<Record<string, unknown>>;
    };
    expect(list.type).toBe('list');
    const listed = list.data.find((s) => s.id === secret.id)!;
    expect(listed).toMatchObject({ name: 'mv-a', created_at: expect.any(Number) });
    expect(listed).not.toHaveProperty('secret');
    expect(JSON.stringify(list)).not.toContain(secret.secret as string);

    const del = await call('DELETE', `/secure_mode_secrets/${secret.id as string}`);
    expect(del.status).toBe(200);
    expect(await del.text()).not.toContain(secret.secret as string);
    const again = await call('DELETE', `/secure_mode_secrets/${secret.id as string}`);
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ type: 'error.list', errors: [{ code: 'not_found' }] });
  });

  test('the secrets endpoints exist only in the Preview version; /me in every version', async () => {
    expect((await call('GET', '/secure_mode_secrets', undefined, '2.11')).status).toBe(404);
    expect((await call('GET', '/me', undefined, '2.11')).status).toBe(200);
  });

  test('refuses a create without a name or without a platform', async () => {
    expect((await call('POST', '/secure_mode_secrets', { supports_web: true })).status).toBe(400);
    const none = await call('POST', '/secure_mode_secrets', { name: 'x' });
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ type: 'error.list', errors: [{ code: 'parameter_invalid' }] });
  });

  test('a revoked token is 401; a token without the write scope is 403 on create and delete', async () => {
    const readOnly = intercom.issue(workspace, ['read_admins', 'read_secure_mode_secret']);
    expect((await call('GET', '/secure_mode_secrets', undefined, 'Preview', readOnly)).status).toBe(200);
    const refused = await call('POST', '/secure_mode_secrets', { name: 'n', supports_web: true }, 'Preview', readOnly);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { errors: Array<{ message: string }> }).errors[0]!.message).toContain(
      'write_secure_mode_secret',
    );
    intercom.revoke(token);
    expect((await call('GET', '/secure_mode_secrets')).status).toBe(401);
  });

  test('drop_after creates the secret but loses the answer', async () => {
    intercom.inject({ method: 'POST', path: '/secure_mode_secrets', fault: 'drop_after' });
    await expect(call('POST', '/secure_mode_secrets', { name: 'orphan-1', supports_ios: true })).rejects.toThrow();
    expect(intercom.liveSecrets(workspace.id_code).some((s) => s.name === 'orphan-1')).toBe(true);
    // A fault is used up: the next call is answered.
    expect((await call('POST', '/secure_mode_secrets', { name: 'orphan-2', supports_ios: true })).status).toBe(200);
  });

  test('429 carries X-RateLimit-Reset in Unix seconds; 500s and slow answers are injected per route', async () => {
    intercom.inject({ path: '/secure_mode_secrets', fault: 'rate_limit', resetInSeconds: 3 });
    const limited = await call('GET', '/secure_mode_secrets');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset - Date.now() / 1000).toBeGreaterThan(1);
    expect(reset - Date.now() / 1000).toBeLessThanOrEqual(3);

    intercom.inject({ method: 'DELETE', fault: 'server_error', times: 2 });
    expect((await call('DELETE', '/secure_mode_secrets/1')).status).toBe(500);
    expect((await call('DELETE', '/secure_mode_secrets/1')).status).toBe(500);
    expect((await call('DELETE', '/secure_mode_secrets/1')).status).toBe(404);

    intercom.inject({ path: '/me', fault: 'slow', delayMs: 150 });
    const started = Date.now();
    expect((await call('GET', '/me')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('injected 401 and 403 use the error envelope', async () => {
    intercom.inject({ fault: 'unauthorized' });
    intercom.inject({ fault: 'forbidden' });
    const a = await call('GET', '/secure_mode_secrets');
    const b = await call('GET', '/secure_mode_secrets');
    expect([a.status, b.status]).toEqual([401, 403]);
    expect(await b.json()).toMatchObject({ type: 'error.list', request_id: expect.any(String) });
  });
});
