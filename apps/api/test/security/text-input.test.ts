import fc from 'fast-check';
import { textProblems } from '../../src/common/text-input';
import { Client, startTestApp, TestApp } from '../harness';

/**
 * Regression tests for the malformed-text class the hostile suite found: a NUL character in any
 * string that reached an INSERT answered 500 (PostgreSQL 22021: API key names, ...), and a lone
 * UTF-16 surrogate in an email answered 500 (validator's isEmail throws a URIError), sign-in
 * included. Both are now a 400 naming the field, for every body, query and path parameter.
 */

let t: TestApp;
let admin: Client;
let tenantId: string;
let apiKey: string;
beforeAll(async () => {
  t = await startTestApp();
  tenantId = (await t.newTenant()).id;
  admin = (await t.newTenantAdmin(tenantId)).client;
  apiKey = (await admin.post(`/api/tenants/${tenantId}/api-keys`, { name: 'text input test' })).body.key;
});
afterAll(async () => {
  await t.close();
});

const NUL = 'a\u0000b';
const LONE = ['a\uD800b', '\uDFFF', '\uDC00\uD800'];

test('a NUL character in an API key name is a 400 naming the field, and nothing is stored', async () => {
  const res = await admin.post(`/api/tenants/${tenantId}/api-keys`, { name: NUL });
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('validation_failed');
  expect(res.body.fields.name[0]).toMatch(/NUL character/);
  const rows: unknown[] = await t.db.query(`SELECT 1 FROM api_keys WHERE tenant_id = $1`, [tenantId]);
  expect(rows).toHaveLength(1);
});

test.each(LONE)('a lone surrogate in the sign-in email (%j) is a 400, not a 500', async (email) => {
  const res = await t.client().post('/api/auth/login', { email, password: 'whatever-password' });
  expect(res.status).toBe(400);
  expect(res.body.fields.email[0]).toMatch(/lone UTF-16 surrogate/);
});

test('an invited email with a lone surrogate is a 400, not a 500', async () => {
  const res = await admin.post(`/api/tenants/${tenantId}/members`, { email: '\uD800@x.test', role: 'admin' });
  expect(res.status).toBe(400);
  expect(Object.keys(res.body.fields)).toEqual(['email']);
});

test('every string field of every documented body refuses NUL and lone surrogates with a 400', async () => {
  const staff = await t.staff();
  const doc = (await t.client().get('/api/docs-json')).body;
  const schemas = doc.components.schemas;
  const seen: string[] = [];
  for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const ref: string | undefined = op.requestBody?.content?.['application/json']?.schema?.$ref;
      if (!ref) continue;
      const schema = schemas[ref.split('/').pop()!];
      for (const [field, prop] of Object.entries<any>(schema.properties ?? {})) {
        if (prop.type !== 'string') continue;
        for (const value of [NUL, LONE[0]]) {
          const url = path.replace('{tenantId}', tenantId).replace(/\{[^}]+\}/g, 'web');
          const client = path.startsWith('/api/tenants/') ? admin : staff;
          const headers: Record<string, string> =
            path === '/v1/intercom/token' ? { authorization: `Bearer ${apiKey}` } : {};
          const res = await client.request(method.toUpperCase(), url, { [field]: value }, headers);
          seen.push(`${method} ${path} ${field}`);
          expect({
            route: `${method} ${path}`,
            field,
            status: res.status,
            fields: Object.keys(res.body.fields ?? {}),
          }).toEqual({
            route: `${method} ${path}`,
            field,
            status: 400,
            fields: expect.arrayContaining([field]),
          });
        }
      }
    }
  }
  expect(seen.length).toBeGreaterThan(20);
});

test('query parameters with NUL or a lone surrogate are a 400 naming the parameter', async () => {
  const staff = await t.staff();
  const nul = await staff.get('/api/staff/integrations?q=a%00b');
  expect(nul.status).toBe(400);
  expect(Object.keys(nul.body.fields)).toEqual(['query.q']);
  // Percent-encoded UTF-8 cannot spell a surrogate; a JSON-style escape in the query is just text.
  const escaped = await staff.get('/api/audit?actor=%5Cud800');
  expect(escaped.status).toBeLessThan(500);
});

test('a flood of query parameters is one 400 for the query string, before any per-field validation', async () => {
  const staff = await t.staff();
  const unknown = Array.from({ length: 1_300 }, (_, i) => `k${i}=1`).join('&');
  const repeated = Array(1_000).fill('limit=1').join('&');
  for (const path of [`/api/audit?${unknown}`, `/api/tenants?${repeated}`, `/api/staff/integrations?${unknown}`]) {
    const res = await staff.get(path);
    expect({ path: path.slice(0, 30), status: res.status, fields: Object.keys(res.body.fields ?? {}) }).toEqual({
      path: path.slice(0, 30),
      status: 400,
      fields: ['query'],
    });
  }
  // The documented parameters, all at once, are far below the limit.
  const all = await staff.get('/api/staff/integrations?problem=no_secret&q=a&sort=name&order=asc&limit=10');
  expect(all.status).toBe(200);
});

test('well-formed text of every script still passes', async () => {
  const res = await admin.post(`/api/tenants/${tenantId}/api-keys`, { name: 'Ключ 鍵 🔑 e\u0301 \u202E' });
  expect(res.status).toBe(201);
  expect(res.body.name).toBe('Ключ 鍵 🔑 e\u0301 \u202E');
});

describe('textProblems', () => {
  // Code units that make or break well-formedness: NUL, both surrogate halves, a pair, plain text.
  const unit = fc.constantFrom('a', 'é', '\u0000', '\uD83D', '\uDE00', '\uD83D\uDE00', '\u202E', ' ');
  const units = fc.string({ unit, maxLength: 12 });
  test('finds exactly the strings that hold NUL or are not well-formed UTF-16, keys included', () => {
    fc.assert(
      fc.property(units, fc.string({ unit, maxLength: 4 }), (s, key) => {
        const bad = (x: string) =>
          x.includes('\u0000') || !(x as unknown as { isWellFormed(): boolean }).isWellFormed();
        const problems = textProblems({ [key]: [s] });
        expect(problems !== null).toBe(bad(s) || bad(key));
      }),
    );
  });
});
