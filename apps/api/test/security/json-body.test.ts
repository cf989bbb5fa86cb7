import { MAX_JSON_DEPTH } from '../../src/common/json-body';
import { Client, startTestApp, TestApp } from '../harness';

/**
 * Regression tests for the body-shape class the hostile suite found: JSON nested tens of
 * thousands of levels deep answered 500 (class-transformer overflowed the stack) and arrays of
 * tens of thousands of items cost up to 600 ms of event-loop time each, on every route with a
 * body, the anonymous ones and the token hot path included. Both are now a 400 before parsing.
 */

let t: TestApp;
let admin: Client;
let tenantId: string;
let apiKey: string;
beforeAll(async () => {
  t = await startTestApp();
  tenantId = (await t.newTenant()).id;
  admin = (await t.newTenantAdmin(tenantId)).client;
  apiKey = (await admin.post(`/api/tenants/${tenantId}/api-keys`, { name: 'json body test' })).body.key;
});
afterAll(async () => {
  await t.close();
});

const deepArray = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const hugeArray = (items: number) => `[${Array(items).fill('0').join(',')}]`;

/** Each hostile body, on an anonymous route, a tenant route and the token hot path. */
const routes = () => [
  { name: 'POST /api/auth/login (anonymous)', send: (body: string) => t.client().post('/api/auth/login', body) },
  {
    name: 'PUT /api/tenants/:tenantId/intercom/app-id',
    send: (body: string) => admin.put(`/api/tenants/${tenantId}/intercom/app-id`, body),
  },
  {
    name: 'POST /v1/intercom/token',
    send: (body: string) => t.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${apiKey}` }),
  },
];

const bodies: [string, string, RegExp][] = [
  ['30,000 nested arrays in a field', `{"email":${deepArray(30_000)}}`, /nests deeper than 16 levels/],
  ['10,000 nested objects in a field', `{"appId":${deepObject(10_000)},"user_id":1}`, /nests deeper than 16 levels/],
  ['30,000 nested arrays at the top', deepArray(30_000), /nests deeper than 16 levels/],
  ['a 30,000-item array in a field', `{"platform":${hugeArray(30_000)}}`, /more than 500 values/],
  ['a 30,000-item array at the top', hugeArray(30_000), /more than 500 values/],
  [
    'an object with 6,000 members',
    `{${Array.from({ length: 6_000 }, (_, i) => `"k${i}":0`).join(',')}}`,
    /more than 500 values/,
  ],
];

test.each(bodies)('%s is a 400 naming the body on every kind of route, never a 500', async (_name, body, message) => {
  for (const route of routes()) {
    const started = performance.now();
    const res = await route.send(body);
    const ms = performance.now() - started;
    expect({ route: route.name, status: res.status, code: res.body?.code }).toEqual({
      route: route.name,
      status: 400,
      code: 'validation_failed',
    });
    expect(res.body.fields.body.join(' ')).toMatch(message);
    // Refused before parsing: far from the hundreds of milliseconds it cost before.
    expect(ms).toBeLessThan(1_000);
  }
});

test('bodies within the limits still reach validation, and brackets inside strings do not count', async () => {
  const nested = `{"appId":${deepArray(MAX_JSON_DEPTH - 1)}}`;
  const res = await admin.put(`/api/tenants/${tenantId}/intercom/app-id`, nested);
  expect(res.status).toBe(400);
  expect(Object.keys(res.body.fields)).toEqual(['appId']);

  // 1,000 brackets and commas in a string: as structure they would be far over both limits.
  const bracketsInString = JSON.stringify({ email: 'nobody@example.com', password: '[{,\\"'.repeat(200) });
  const login = await t.client().post('/api/auth/login', bracketsInString);
  expect(login.status).toBe(401);

  const saved = await admin.put(`/api/tenants/${tenantId}/intercom/app-id`, JSON.stringify({ appId: 'abc123xy' }));
  expect(saved.status).toBe(200);
});

test.each(['application/x-www-form-urlencoded', 'text/plain'])(
  '%s bodies are a 415 on every kind of route, however many fields they carry',
  async (type) => {
    const form = { 'content-type': type };
    const manyFields = Array.from({ length: 6_000 }, (_, i) => `k${i}=1`).join('&');
    for (const body of [manyFields, 'email=a%40b.c&password=x', 'appId=abc123xy']) {
      const login = await t.client().request('POST', '/api/auth/login', body, form);
      const appId = await admin.request('PUT', `/api/tenants/${tenantId}/intercom/app-id`, body, form);
      const token = await t.client(null).request('POST', '/v1/intercom/token', body, {
        ...form,
        authorization: `Bearer ${apiKey}`,
      });
      expect([login.status, appId.status, token.status]).toEqual([415, 415, 415]);
      expect(login.body.code).toBe('unsupported_media_type');
      expect(login.body.message).toMatch(/Content-Type: application\/json/);
    }
  },
);

test('any other body type is a 415 that says what to send', async () => {
  const res = await t.client().request('POST', '/api/auth/login', '<a/>', { 'content-type': 'application/xml' });
  expect(res.status).toBe(415);
  expect(res.body).toMatchObject({
    code: 'unsupported_media_type',
    message: expect.stringMatching(/application\/json/),
  });
});

test('prototype poisoning is still refused by the JSON parser underneath', async () => {
  const res = await t.client().post('/api/auth/login', '{"__proto__":{"isStaff":true},"email":"a@b.c","password":"x"}');
  expect(res.status).toBe(400);
});

/** JSON inside a value: the token debugger decodes a JWT's header and payload and quotes them back. */
test('a JWT whose header or payload nests thousands of levels is explained as malformed, not a 500', async () => {
  await admin.put(`/api/tenants/${tenantId}/intercom/app-id`, { appId: 'abc123xy' });
  await admin.put(`/api/tenants/${tenantId}/intercom/secret`, { secret: 'abcdefghijklmnopqrstuvwxyz012345' });
  const b64 = (json: string) => Buffer.from(json).toString('base64url');
  const tokens = {
    header: `${b64(`{"alg":${deepArray(5_000)}}`)}.${b64('{"user_id":"1"}')}.sig`,
    payload: `${b64('{"alg":"HS256"}')}.${b64(`{"user_id":${deepObject(1_500)}}`)}.sig`,
  };
  for (const [part, token] of Object.entries(tokens)) {
    const res = await admin.post(`/api/tenants/${tenantId}/intercom/debug-token`, { token });
    expect({ part, status: res.status, valid: res.body.valid }).toEqual({ part, status: 200, valid: false });
    expect(JSON.stringify(res.body.problems)).toMatch(new RegExp(`the ${part} nests JSON deeper than 16 levels`));
  }
});
