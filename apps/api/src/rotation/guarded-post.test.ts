import { createServer, type Server } from 'node:http';
import { guardedPost, PrivateAddressRefused } from './guarded-post';

let server: Server;
let port: number;
let received = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    received += 1;
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => server.close());

const post = (host: string, guard: boolean) =>
  guardedPost(`http://${host}:${port}/hook`, { 'content-type': 'application/json' }, '{}', {
    signal: AbortSignal.timeout(2000),
    guard,
  });

test('unguarded (outside production) a local receiver is reached', async () => {
  expect(await post('127.0.0.1', false)).toEqual({ status: 204 });
});

test('guarded, an IP-literal private host is refused before any connection', async () => {
  const before = received;
  await expect(post('127.0.0.1', true)).rejects.toBeInstanceOf(PrivateAddressRefused);
  expect(received).toBe(before);
});

test('guarded, a name that resolves to a private address is refused at connection time', async () => {
  const before = received;
  await expect(post('localhost', true)).rejects.toBeInstanceOf(PrivateAddressRefused);
  expect(received).toBe(before);
});
