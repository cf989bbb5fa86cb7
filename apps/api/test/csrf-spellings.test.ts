import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { registeredRoutes } from '../src/bootstrap/create-app';
import { Client, startTestApp, TestApp } from './harness';

let t: TestApp;
let staff: Client;
let tenantId: string;
beforeAll(async () => {
  t = await startTestApp();
  staff = await t.staff();
  tenantId = (await t.newTenant('CSRF spellings')).id;
  expect((await staff.put(`/api/tenants/${tenantId}/intercom/app-id`, { appId: 'before1' })).status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

const EVIL = 'https://evil.example';

/** A request with the path exactly as written: fetch and `new URL` would normalize it first. */
function raw(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const { port } = new URL(t.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          cookie: staff.cookieHeader,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Ways to spell `/api/...` that a router or proxy may or may not fold onto the same route. */
const spellings = (path: string): Record<string, string> => ({
  canonical: path,
  'percent-encoded a': path.replace(/^\/api\//, '/%61pi/'),
  'percent-encoded api': path.replace(/^\/api\//, '/%61%70%69/'),
  'upper-case escape': path.replace(/^\/api\//, '/%41PI/'),
  'double leading slash': `/${path}`,
  'double inner slash': path.replace(/^\/api\//, '/api//'),
  'dot segment': path.replace(/^\/api\//, '/api/./'),
  'dot-dot segment': path.replace(/^\/api\//, '/api/x/../'),
  'encoded dot segment': path.replace(/^\/api\//, '/api/%2e/'),
  'upper case': path.replace(/^\/api\//, '/API/'),
  'trailing slash': `${path}/`,
  'encoded last letter': path.replace(/.$/, (c) => `%${c.charCodeAt(0).toString(16)}`),
  'with query': `${path}?x=1`,
});

const mutations = () => [
  { method: 'PUT', path: `/api/tenants/${tenantId}/intercom/app-id`, body: { appId: 'evil999' } },
  { method: 'PATCH', path: `/api/tenants/${tenantId}/intercom/settings`, body: { tokenTtlSeconds: 600 } },
  { method: 'POST', path: '/api/tenants', body: { name: 'Made by evil' } },
  { method: 'DELETE', path: `/api/tenants/${tenantId}/webhook`, body: undefined },
];

test('every spelling × method of a mutating /api route, from a foreign Origin or Referer, changes nothing', async () => {
  // The tenants the refused POSTs would have made, by their name: other test files add tenants meanwhile.
  const madeByEvil = () => t.db.query(`SELECT count(*)::int AS n FROM tenants WHERE name = 'Made by evil'`);
  const tenantsBefore = await madeByEvil();
  const outcomes: string[] = [];
  for (const m of mutations()) {
    for (const [name, path] of Object.entries(spellings(m.path))) {
      for (const headers of [{ origin: EVIL }, { referer: `${EVIL}/page` }] as Record<string, string>[]) {
        const res = await raw(m.method, path, m.body, headers);
        const outcome = `${m.method} ${name} ${Object.keys(headers)[0]}`;
        // Refused as cross-site (403), or not a route at all (404/400): never served.
        expect({ outcome, refused: [400, 403, 404].includes(res.status) ? true : res.status }).toEqual({
          outcome,
          refused: true,
        });
        if (res.status === 403) expect(res.body.code).toBe('csrf_rejected');
        outcomes.push(`${outcome} -> ${res.status}`);
      }
    }
  }
  // %61pi reaches the real route, so it must have been judged as one (on main it answered 200).
  expect(outcomes).toContain('PUT percent-encoded a origin -> 403');
  expect(outcomes).toContain('POST canonical origin -> 403');

  expect(await t.db.query(`SELECT app_id FROM intercom_settings WHERE tenant_id = $1`, [tenantId])).toEqual([
    { app_id: 'before1' },
  ]);
  const setup = await staff.get(`/api/tenants/${tenantId}/intercom`);
  expect(JSON.stringify(setup.body)).not.toContain('evil999');
  expect(await madeByEvil()).toEqual(tenantsBefore);
});

test('the same spellings from our own origin either reach the route or are refused as no route, never 5xx', async () => {
  for (const [name, path] of Object.entries(spellings(`/api/tenants/${tenantId}/intercom/app-id`))) {
    const res = await raw('PUT', path, { appId: 'mine123' }, { origin: t.url });
    expect({ name, ok: [200, 400, 404].includes(res.status) ? true : res.status }).toEqual({ name, ok: true });
  }
});

test('every mutating route outside /v1/ refuses a foreign Origin with the session cookie', async () => {
  const routes = registeredRoutes(t.app).filter(
    (r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.url.startsWith('/v1/'),
  );
  expect(routes.length).toBeGreaterThanOrEqual(10);
  for (const route of routes) {
    const path = route.url
      .replace(/:tenantId/g, tenantId)
      .replace(/:[A-Za-z]+/g, () => randomUUID())
      .replace('*', 'x');
    const res = await raw(route.method, path, route.method === 'DELETE' ? undefined : {}, { origin: EVIL });
    expect({ route: `${route.method} ${route.url}`, status: res.status, code: res.body?.code }).toEqual({
      route: `${route.method} ${route.url}`,
      status: 403,
      code: 'csrf_rejected',
    });
  }
});

test('the public token API stays open to cross-site callers: it never reads the session cookie', async () => {
  const res = await raw(
    'POST',
    '/v1/intercom/token/exchange',
    { tenant_id: tenantId, platform: 'web' },
    {
      origin: EVIL,
    },
  );
  expect(res.body?.code).not.toBe('csrf_rejected');
});
