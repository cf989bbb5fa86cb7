import type { IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { Socket } from 'node:net';
import { type DirectRoute, takesDirect } from '../src/bootstrap/direct-route';
import { startTestApp, TestApp } from './harness';
import { connectedTenant, type ConnectedTenant, verifyHs256 } from './token-fixtures';

/**
 * The token route's direct path (bootstrap/direct-route.ts, decision 0064) answers plain requests
 * on node:http; the hot Fastify instance answers the rest with the same route code. Each case
 * below is sent both ways — once with a content type the direct path takes, once with a spelling
 * only Fastify takes — and must get the same status, body and headers.
 */

const URL_PATH = '/v1/intercom/token';
const DIRECT_TYPE = 'application/json';
const FASTIFY_TYPE = 'application/json;charset=utf-8';
const LIMIT = 64 * 1024;
const route = { url: URL_PATH } as DirectRoute;

function fakeRequest(headers: Record<string, string>, method = 'POST', url = URL_PATH): IncomingMessage {
  return { method, url, headers } as unknown as IncomingMessage;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send(t: TestApp, body: string, headers: Record<string, string>): Promise<Answer> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: 'POST',
        path: URL_PATH,
        headers: { 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * The answer without what differs by nature between two requests: the date, the token's own
 * bytes, and its expiry, which moves with the second the request was signed in.
 */
function comparable(answer: Answer) {
  const { date: _date, 'content-length': _length, ...headers } = answer.headers;
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  if (typeof body.token === 'string') body.token = '<token>';
  if (typeof body.expires_at === 'string') {
    expect(Math.abs(Date.parse(body.expires_at) - Date.now() - 3_600_000)).toBeLessThan(60_000);
    body.expires_at = '<an hour from now>';
  }
  return { status: answer.status, headers, body };
}

let t: TestApp;
let tenant: ConnectedTenant;
beforeAll(async () => {
  t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '40' });
  tenant = await connectedTenant(t);
});
afterAll(async () => {
  await t.close();
});

test('the direct path takes only a plain JSON POST to the exact path with a declared length within the limit', () => {
  const plain = { 'content-type': DIRECT_TYPE, 'content-length': '40' };
  expect(takesDirect(fakeRequest(plain), route, LIMIT)).toBe(true);
  expect(takesDirect(fakeRequest({ ...plain, 'content-type': 'Application/JSON; Charset=UTF-8' }), route, LIMIT)).toBe(
    true,
  );
  const refused: Array<[string, IncomingMessage]> = [
    ['the spelling the tests send to Fastify', fakeRequest({ ...plain, 'content-type': FASTIFY_TYPE })],
    ['another method', fakeRequest(plain, 'PUT')],
    ['a query string', fakeRequest(plain, 'POST', `${URL_PATH}?a=1`)],
    ['a trailing slash', fakeRequest(plain, 'POST', `${URL_PATH}/`)],
    ['no content type', fakeRequest({ 'content-length': '40' })],
    ['a form', fakeRequest({ ...plain, 'content-type': 'application/x-www-form-urlencoded' })],
    ['text', fakeRequest({ ...plain, 'content-type': 'text/plain' })],
    ['no length', fakeRequest({ 'content-type': DIRECT_TYPE })],
    ['an empty body', fakeRequest({ ...plain, 'content-length': '0' })],
    ['a length with a sign', fakeRequest({ ...plain, 'content-length': '+40' })],
    ['a length over the limit', fakeRequest({ ...plain, 'content-length': String(LIMIT + 1) })],
    ['a chunked body', fakeRequest({ 'content-type': DIRECT_TYPE, 'transfer-encoding': 'chunked' })],
    ['a compressed body', fakeRequest({ ...plain, 'content-encoding': 'gzip' })],
  ];
  for (const [what, req] of refused)
    expect({ what, direct: takesDirect(req, route, LIMIT) }).toEqual({ what, direct: false });
  expect(takesDirect(fakeRequest({ ...plain, 'content-length': String(LIMIT) }), route, LIMIT)).toBe(true);
});

test('every answer of the direct path is the answer Fastify gives the same request', async () => {
  const auth = { authorization: `Bearer ${tenant.apiKey}` };
  const cases: Array<[string, string, Record<string, string>, number]> = [
    ['a token', JSON.stringify({ user_id: '42', email: 'ada@example.com', platform: 'web' }), auth, 200],
    [
      'custom attributes the tenant did not allow',
      JSON.stringify({ user_id: '42', platform: 'ios', custom_attributes: { plan: 'pro' } }),
      auth,
      400,
    ],
    ['no API key', JSON.stringify({ user_id: '42', platform: 'web' }), {}, 401],
    ['an unknown API key', JSON.stringify({ user_id: '42' }), { authorization: `Bearer mvk_${'a'.repeat(60)}` }, 401],
    ['not JSON', '{"user_id":', auth, 400],
    ['only spaces', '   ', auth, 400],
    ['an array', '[]', auth, 400],
    ['a prototype-named field', '{"user_id":"42","__proto__":{"x":1}}', auth, 400],
    ['a NUL character', JSON.stringify({ user_id: 'a\u0000b', platform: 'web' }), auth, 400],
    ['a lone surrogate', '{"user_id":"\\ud800","platform":"web"}', auth, 400],
    ['nesting too deep', `{"user_id":"1","x":${'['.repeat(40)}${']'.repeat(40)}}`, auth, 400],
    ['no user_id', JSON.stringify({ platform: 'web' }), auth, 400],
    ['an unknown field', JSON.stringify({ user_id: '42', platform: 'web', role: 'admin' }), auth, 400],
    ['an unknown platform', JSON.stringify({ user_id: '42', platform: 'windows' }), auth, 400],
  ];
  for (const [what, body, headers, status] of cases) {
    const direct = await send(t, body, { 'content-type': DIRECT_TYPE, 'x-request-id': 'same-id', ...headers });
    const viaFastify = await send(t, body, { 'content-type': FASTIFY_TYPE, 'x-request-id': 'same-id', ...headers });
    expect({ what, status: direct.status }).toEqual({ what, status });
    expect({ what, ...comparable(direct) }).toEqual({ what, ...comparable(viaFastify) });
    expect(direct.headers['content-length']).toBe(String(Buffer.byteLength(direct.text)));
  }
});

test('a token from the direct path verifies under the tenant secret and carries the request id given', async () => {
  const answer = await send(t, JSON.stringify({ user_id: 'user-7', name: 'Ada', platform: 'android' }), {
    'content-type': DIRECT_TYPE,
    authorization: `Bearer ${tenant.apiKey}`,
    'x-request-id': 'given-id-1',
  });
  expect(answer.status).toBe(200);
  expect(answer.headers['x-request-id']).toBe('given-id-1');
  const body = JSON.parse(answer.text);
  expect(body.app_id).toBe(tenant.appId);
  expect(verifyHs256(body.token, tenant.secret)?.payload).toMatchObject({ user_id: 'user-7', name: 'Ada' });
  expect(verifyHs256(body.token, 'another-secret-entirely')).toBeNull();
});

test('past the rate limit both paths answer the same 429 with Retry-After', async () => {
  const limited = await connectedTenant(t);
  const body = JSON.stringify({ user_id: '1', platform: 'web' });
  const auth = { authorization: `Bearer ${limited.apiKey}` };
  // The budget is per minute: stay clear of a minute boundary, where it would start again.
  const msIntoMinute = Date.now() % 60_000;
  if (msIntoMinute > 52_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - msIntoMinute));
  const seen: number[] = [];
  for (let i = 0; i < 40; i++) seen.push((await send(t, body, { 'content-type': DIRECT_TYPE, ...auth })).status);
  expect(seen.every((status) => status === 200)).toBe(true);
  const direct = await send(t, body, { 'content-type': DIRECT_TYPE, ...auth });
  const viaFastify = await send(t, body, { 'content-type': FASTIFY_TYPE, ...auth });
  expect(direct.status).toBe(429);
  expect(Number(direct.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  // The seconds to wait are counted down between the two requests; the rest must be equal.
  const seconds = (answer: Answer) => ({ ...answer, text: answer.text.replace(/Wait \d+ seconds/, 'Wait N seconds') });
  const { headers: directHeaders, ...directRest } = comparable(seconds(direct));
  const { headers: fastifyHeaders, ...fastifyRest } = comparable(seconds(viaFastify));
  expect(directRest.body.message).toMatch(/Wait N seconds/);
  expect(directRest).toEqual(fastifyRest);
  expect(Object.keys(directHeaders).sort()).toEqual(Object.keys(fastifyHeaders).sort());
}, 30_000);

test('a body sent in pieces is read whole, and a client gone mid-body leaves the server answering', async () => {
  const { hostname, port } = new URL(t.url);
  const body = JSON.stringify({ user_id: 'pieces', platform: 'web' });
  const head = [
    `POST ${URL_PATH} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    `Content-Type: ${DIRECT_TYPE}`,
    `Content-Length: ${body.length}`,
    `Authorization: Bearer ${tenant.apiKey}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  const pieces = await new Promise<string>((resolve, reject) => {
    const socket = new Socket();
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.once('end', () => resolve(text));
    socket.once('error', reject);
    socket.connect(Number(port), hostname, () => {
      socket.write(head + body.slice(0, 10));
      setTimeout(() => socket.write(body.slice(10, 20)), 30);
      setTimeout(() => socket.write(body.slice(20)), 60);
    });
  });
  expect(pieces).toMatch(/^HTTP\/1\.1 200 /);
  expect(pieces).toContain('"token":"');

  await new Promise<void>((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.connect(Number(port), hostname, () => {
      socket.write(head.replace(`Content-Length: ${body.length}`, 'Content-Length: 500') + body);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 50);
    });
  });
  const after = await send(t, body, { 'content-type': DIRECT_TYPE, authorization: `Bearer ${tenant.apiKey}` });
  expect(after.status).toBe(200);
});
