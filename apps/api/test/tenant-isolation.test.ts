import { randomUUID } from 'node:crypto';
import { registeredRoutes } from '../src/bootstrap/create-app';
import { startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/**
 * Walks every route the app registered under /api/tenants/:param as an admin of another
 * tenant. A route added later without tenant protection makes this test fail.
 */
test('an admin of tenant A gets 404 or 403 from every /api/tenants/:tenantId route of tenant B', async () => {
  const a = await t.newTenant('Isolation A');
  const b = await t.newTenant('Isolation B');
  const { client: adminOfA } = await t.newTenantAdmin(a.id);
  const before = await t.db.query(`SELECT * FROM tenants WHERE id = $1`, [b.id]);

  const routes = registeredRoutes(t.app).filter((r) => r.url.startsWith('/api/tenants/:') && r.method !== 'HEAD');
  expect(routes.length).toBeGreaterThanOrEqual(3);
  const walked: string[] = [];
  for (const route of routes) {
    const path = route.url
      .replace(/^\/api\/tenants\/:[A-Za-z]+/, `/api/tenants/${b.id}`)
      .replace(/:[A-Za-z]+/g, () => randomUUID());
    const res = await adminOfA.request(
      route.method,
      path,
      route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
    );
    walked.push(`${route.method} ${route.url} -> ${res.status}`);
    expect({
      route: `${route.method} ${route.url}`,
      status: [403, 404].includes(res.status) ? 'refused' : res.status,
    }).toEqual({
      route: `${route.method} ${route.url}`,
      status: 'refused',
    });
  }
  expect(await t.db.query(`SELECT * FROM tenants WHERE id = $1`, [b.id])).toEqual(before);
  // The same admin reaches their own tenant, so the 404s above are about B, not a broken session.
  expect((await adminOfA.get(`/api/tenants/${a.id}`)).status).toBe(200);
  expect(walked.length).toBe(routes.length);
});

test('a tenant admin lists only their own tenants', async () => {
  const a = await t.newTenant('List A');
  await t.newTenant('List B');
  const { client } = await t.newTenantAdmin(a.id);
  const res = await client.get('/api/tenants');
  expect(res.status).toBe(200);
  expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([a.id]);
  expect(res.body.nextCursor).toBeNull();
});

test('an admin of A cannot invite members into B', async () => {
  const a = await t.newTenant();
  const b = await t.newTenant();
  const { client } = await t.newTenantAdmin(a.id);
  const res = await client.post(`/api/tenants/${b.id}/members`, { email: 'sneaky@x.test', role: 'admin' });
  expect(res.status).toBe(404);
  const rows: unknown[] = await t.db.query(`SELECT 1 FROM invitations WHERE tenant_id = $1`, [b.id]);
  expect(rows).toHaveLength(0);
});

test('a tenant id that is not a UUID answers 404 like any unknown tenant', async () => {
  const staff = await t.staff();
  expect((await staff.get('/api/tenants/not-a-uuid')).status).toBe(404);
  expect((await staff.get(`/api/tenants/${randomUUID()}`)).status).toBe(404);
});
