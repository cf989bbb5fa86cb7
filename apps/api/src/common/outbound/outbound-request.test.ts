import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import { OutboundRefused, outboundRequest, type OutboundPolicy, type Resolve } from './outbound-request';
import { checkOutboundUrl } from './outbound-url';

let server: Server;
let port: number;
let received = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    received += 1;
    req.resume();
    if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.1:${port}/final` }).end();
    else if (req.url === '/big') res.writeHead(200).end('x'.repeat(10_000));
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => server.close());

const open: OutboundPolicy = { refuseSpecialUse: false };
const production: OutboundPolicy = { refuseSpecialUse: true };
const get = (url: string, policy: OutboundPolicy, maxResponseBytes = 1000) =>
  outboundRequest(url, { method: 'GET', signal: AbortSignal.timeout(2000), maxResponseBytes }, policy);

/** DNS is the one outside part here: a resolver whose answer changes between calls, as in DNS rebinding. */
function rebinding(...answers: string[]): Resolve & { calls: number } {
  const resolve = Object.assign(
    async (): Promise<LookupAddress[]> => {
      const address = answers[Math.min(resolve.calls, answers.length - 1)]!;
      resolve.calls += 1;
      return [{ address, family: address.includes(':') ? 6 : 4 }];
    },
    { calls: 0 },
  );
  return resolve;
}

test('outside production a local server is reached and its answer read', async () => {
  const res = await get(`http://127.0.0.1:${port}/jwks`, open);
  expect(res.status).toBe(200);
  expect(res.body.toString()).toBe('{"ok":true}');
});

test('in production an IP-literal special-use host is refused before any connection', async () => {
  const before = received;
  await expect(get(`http://127.0.0.1:${port}/jwks`, production)).rejects.toBeInstanceOf(OutboundRefused);
  await expect(get(`http://[::1]:${port}/jwks`, production)).rejects.toBeInstanceOf(OutboundRefused);
  expect(received).toBe(before);
});

test('in production a name resolving to loopback is refused at connection time', async () => {
  const before = received;
  await expect(get(`http://localhost:${port}/jwks`, production)).rejects.toBeInstanceOf(OutboundRefused);
  const resolve = rebinding('127.0.0.1');
  await expect(get(`http://idp.example.test:${port}/jwks`, { ...production, resolve })).rejects.toMatchObject({
    code: 'EOUTBOUNDREFUSED',
    range: 'loopback',
  });
  expect(resolve.calls).toBe(1);
  expect(received).toBe(before);
});

test('DNS rebinding: a name that was public when saved and private when called is refused, nothing is sent', async () => {
  const resolve = rebinding('93.184.216.34', '169.254.169.254');
  const policy = { ...production, resolve };
  const saved = await checkOutboundUrl(
    `https://idp.example.test:${port}/jwks`,
    { field: 'jwksUrl', what: 'a JWKS', example: 'like https://idp.example/jwks', noCredentials: '' },
    policy,
  );
  expect(saved.ok).toBe(true);
  const before = received;
  await expect(get(`http://idp.example.test:${port}/jwks`, policy)).rejects.toMatchObject({ range: 'linkLocal' });
  expect(received).toBe(before);
});

test('one special-use answer among several refuses the name', async () => {
  const resolve: Resolve = async () => [
    { address: '93.184.216.34', family: 4 },
    { address: '10.0.0.7', family: 4 },
  ];
  await expect(get(`http://multi.example.test:${port}/`, { ...production, resolve })).rejects.toMatchObject({
    range: 'private',
  });
});

test('redirects are returned, never followed', async () => {
  const before = received;
  const res = await get(`http://127.0.0.1:${port}/redirect`, open);
  expect(res.status).toBe(302);
  expect(received).toBe(before + 1);
});

test('an answer larger than the limit fails instead of filling memory', async () => {
  await expect(get(`http://127.0.0.1:${port}/big`, open, 1000)).rejects.toMatchObject({ code: 'ETOOLARGE' });
});

test('schemes other than http and https are refused', async () => {
  await expect(get('file:///etc/passwd', open)).rejects.toBeInstanceOf(OutboundRefused);
});

test('on save, in production, a name that resolves to a special-use address is refused with the range', async () => {
  const rules = { field: 'url', what: 'a receiver', example: 'like https://hooks.example.com/mv', noCredentials: '' };
  const checked = await checkOutboundUrl('https://nat64.example.test/hook', rules, {
    ...production,
    resolve: rebinding('64:ff9b::a9fe:a9fe'),
  });
  expect(checked).toEqual({
    ok: false,
    message: expect.stringMatching(/url points at a private or local address.*rfc6052/),
  });
  // Unresolvable now: accepted, the connection-time check decides.
  const unresolvable = await checkOutboundUrl('https://not-yet.example.test/hook', rules, {
    ...production,
    resolve: async () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })),
  });
  expect(unresolvable.ok).toBe(true);
});
