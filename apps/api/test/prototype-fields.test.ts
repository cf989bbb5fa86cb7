import { randomUUID } from 'node:crypto';
import { registeredRoutes } from '../src/bootstrap/create-app';
import { startTestApp, TestApp } from './harness';
import { connectedTenant, ConnectedTenant } from './token-fixtures';

let t: TestApp;
let c: ConnectedTenant;
beforeAll(async () => {
  t = await startTestApp();
  c = await connectedTenant(t);
});
afterAll(async () => {
  await t.close();
});

const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
];

/** Plausible parameters, so that the body is what decides the answer. */
function fill(url: string, tenantId: string): string {
  return url
    .replace(/:tenantId/g, tenantId)
    .replace(/:version/g, '1')
    .replace(/:platform/g, 'web')
    .replace(/:[A-Za-z]+/g, () => randomUUID());
}

test('a prototype-named field is a 400 naming it, on every route that takes a request, never a 500', async () => {
  const routes = registeredRoutes(t.app).filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
  expect(routes.length).toBeGreaterThanOrEqual(15);
  const seen: string[] = [];
  const staff = await t.staff();
  for (const route of routes) {
    for (const key of PROTOTYPE_KEYS) {
      const headers: Record<string, string> =
        route.url === '/v1/intercom/token' ? { authorization: `Bearer ${c.apiKey}` } : {};
      const res = await staff.request(
        route.method,
        fill(route.url, c.tenantId),
        `{"${key}": {"polluted": true}}`,
        headers,
      );
      const label = `${route.method} ${route.url} ${key}`;
      expect({ label, status: res.status, fields: Object.keys(res.body?.fields ?? {}) }).toEqual({
        label,
        status: 400,
        fields: expect.arrayContaining([key]),
      });
      expect(JSON.stringify(res.body.message)).toContain(key);
      seen.push(label);
    }
  }
  expect(seen.length).toBe(routes.length * PROTOTYPE_KEYS.length);
  // No route ran: logout among them would have ended this session.
  expect((await staff.get('/api/auth/me')).status).toBe(200);
  // Nothing was polluted on the way.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}, 60_000);

test('nested prototype keys are named by their path', async () => {
  const staff = await t.staff();
  const res = await staff.request(
    'PUT',
    `/api/tenants/${c.tenantId}/intercom/identity-provider`,
    '{"issuer": "https://id.example", "allowedOrigins": [{"constructor": {"prototype": {"x": 1}}}]}',
  );
  expect(res.status).toBe(400);
  expect(Object.keys(res.body.fields)).toEqual(['allowedOrigins[0].constructor']);
});

test('an unknown field on a route without a body is refused by name, and the route does not run', async () => {
  const staff = await t.staff();
  const res = await staff.post('/api/auth/logout', { everywhere: true });
  expect(res.status).toBe(400);
  expect(res.body.fields).toEqual({ everywhere: [expect.stringContaining('everywhere')] });
  expect((await staff.get('/api/auth/me')).status).toBe(200);
  // An empty object is what the web app sends, and still works.
  expect((await staff.post('/api/auth/logout', {})).status).toBe(200);
});

test('the token endpoints name a prototype-named field among the others', async () => {
  const client = t.client(null);
  const res = await client.post(
    '/v1/intercom/token',
    { user_id: '42', platform: 'web', toString: 'x', hasOwnProperty: 1 },
    { authorization: `Bearer ${c.apiKey}` },
  );
  expect(res.status).toBe(400);
  expect(Object.keys(res.body.fields).sort()).toEqual(['hasOwnProperty', 'toString']);

  const exchange = await client.post('/v1/intercom/token/exchange', {
    tenant_id: c.tenantId,
    platform: 'web',
    valueOf: 1,
  });
  expect(exchange.status).toBe(400);
  expect(Object.keys(exchange.body.fields)).toEqual(['valueOf']);
});

test('a form-encoded body is refused with 415 before any field is read', async () => {
  const res = await t.client().request('POST', '/api/auth/login', 'email=a%40b.c&password=x&toString=1', {
    'content-type': 'application/x-www-form-urlencoded',
  });
  expect(res.status).toBe(415);
  expect(res.body.message).toMatch(/application\/json/);
});

test('hundreds of unknown fields are answered with the first fifty named and a count, not hundreds of messages', async () => {
  // Under the body's 500-value cap (common/json-body.ts), which answers larger bodies first.
  const body = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`f${i}`, i]));
  const res = await t.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${c.apiKey}` });
  expect(res.status).toBe(400);
  const fields = Object.keys(res.body.fields);
  expect(fields).toHaveLength(51);
  expect(fields).toContain('f0');
  expect(res.body.fields['(more)'][0]).toMatch(/^352 more field\(s\)/);
});
