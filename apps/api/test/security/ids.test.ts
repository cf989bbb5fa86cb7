import { Client, startTestApp, TestApp } from '../harness';

/**
 * Regression tests for the loose-id class: `[0-9a-f-]{36}` let 36 dashes (or `a-a-…`) through
 * to a `uuid` comparison in Postgres, which answered 22P02 and the caller a 500. Every id a
 * caller types is now checked as a UUID before any query: an API key id answers 404, a cursor 400.
 */

let t: TestApp;
let admin: Client;
let tenantId: string;
beforeAll(async () => {
  t = await startTestApp();
  tenantId = (await t.newTenant()).id;
  admin = (await t.newTenantAdmin(tenantId)).client;
});
afterAll(async () => {
  await t.close();
});

const NOT_UUIDS = ['-'.repeat(36), `${'a'.repeat(35)}-`, 'ffffffff-ffff-ffff-ffff-fffffffffff-'];
const cursorWith = (id: string) => Buffer.from(`2024-01-01T00:00:00.000000Z|${id}`).toString('base64url');

test.each(NOT_UUIDS)('revoking API key %j is a 404 like any unknown key', async (id) => {
  const res = await admin.delete(`/api/tenants/${tenantId}/api-keys/${id}`);
  expect(res.status).toBe(404);
  expect(res.body.code).toBe('not_found');
});

test.each(NOT_UUIDS)('a cursor whose id is %j is a 400 on every paged list', async (id) => {
  const staff = await t.staff();
  for (const [client, path] of [
    [staff, '/api/tenants'],
    [admin, `/api/tenants/${tenantId}/notifications`],
  ] as const) {
    const res = await client.get(`${path}?cursor=${cursorWith(id)}`);
    expect({ path, status: res.status, fields: Object.keys(res.body.fields ?? {}) }).toEqual({
      path,
      status: 400,
      fields: ['cursor'],
    });
  }
});
