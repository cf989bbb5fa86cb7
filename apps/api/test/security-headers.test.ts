import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAFF_EMAIL, STAFF_PASSWORD, startTestApp, TestApp } from './harness';
import { connectedTenant } from './token-fixtures';

let dist: string;
let t: TestApp;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'mv-web-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Messenger Vault</title><div id="root"></div>');
  t = await startTestApp({ WEB_DIST_DIR: dist });
});
afterAll(async () => {
  await t.close();
});

/** One request of each kind the server answers, across both Fastify instances. */
async function answers(app: TestApp): Promise<Array<{ what: string; headers: Headers; body: unknown }>> {
  const c = await connectedTenant(app);
  const client = app.client();
  const token = await client.post(
    '/v1/intercom/token',
    { user_id: '42', platform: 'web' },
    {
      authorization: `Bearer ${c.apiKey}`,
    },
  );
  expect(token.status).toBe(200);
  const out = [
    { what: 'web app page', res: await client.get('/') },
    { what: 'client-side route', res: await client.get('/tenants/x') },
    { what: 'JSON', res: await client.get('/healthz') },
    { what: 'API 404', res: await client.get('/api/nothing-here') },
    { what: 'API error', res: await client.get('/api/auth/me') },
    { what: 'Swagger UI', res: await client.get('/api/docs') },
    { what: 'hot path 200', res: token },
    { what: 'hot path 401', res: await client.post('/v1/intercom/token', { user_id: '1', platform: 'web' }) },
    { what: 'exchange 400', res: await client.post('/v1/intercom/token/exchange', {}) },
  ];
  return out.map(({ what, res }) => ({ what, headers: res.headers, body: res.body }));
}

test('every response carries nosniff, the CSP, Referrer-Policy and no framing, on both Fastify instances', async () => {
  for (const { what, headers } of await answers(t)) {
    const seen = {
      what,
      nosniff: headers.get('x-content-type-options'),
      referrer: headers.get('referrer-policy'),
      frameAncestors: /frame-ancestors 'none'/.test(headers.get('content-security-policy') ?? ''),
      hsts: headers.get('strict-transport-security'),
    };
    expect(seen).toEqual({ what, nosniff: 'nosniff', referrer: 'same-origin', frameAncestors: true, hsts: null });
    const csp = headers.get('content-security-policy')!;
    const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scripts).toBe("'self'");
    expect(csp).not.toMatch(/unsafe-eval/);
  }
});

test('the HTML pages we serve load no inline script, so the CSP does not break them', async () => {
  for (const { what, headers, body } of await answers(t)) {
    if (!headers.get('content-type')?.includes('text/html')) continue;
    const inline = [...String(body).matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)];
    expect({ what, inline: inline.map((m) => m[0]) }).toEqual({ what, inline: [] });
  }
});

test('Strict-Transport-Security is sent on both instances when PUBLIC_URL is https', async () => {
  const https = await startTestApp({ WEB_DIST_DIR: dist, PUBLIC_URL: 'https://vault.example' });
  try {
    const c = await apiKeyVia(https);
    const hot = await https
      .client(null)
      .post('/v1/intercom/token', { user_id: '42', platform: 'web' }, { authorization: `Bearer ${c}` });
    const page = await https.client(null).get('/');
    for (const res of [hot, page]) {
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  } finally {
    await https.close();
  }
});

/** Same-origin for the CSRF check is PUBLIC_URL now, so the client sends that Origin. */
async function apiKeyVia(app: TestApp): Promise<string> {
  const staff = app.client('https://vault.example');
  const login = await staff.post('/api/auth/login', { email: STAFF_EMAIL, password: STAFF_PASSWORD });
  expect(login.status).toBe(200);
  const tenant = await staff.post('/api/tenants', { name: `HSTS ${Date.now()}` });
  const key = await staff.post(`/api/tenants/${tenant.body.id}/api-keys`, { name: 'backend' });
  expect(key.status).toBe(201);
  return key.body.key;
}
