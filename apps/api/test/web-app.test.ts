import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { startTestApp, TestApp } from './harness';

const INDEX_HTML = '<!doctype html><title>Messenger Vault</title><div id="root"></div>';
// Named like a Vite build output: content hash after the last dash.
const HASHED_JS = 'assets/index-BMUnU3x9.js';
const HASHED_JS_SOURCE = `export const app = ${JSON.stringify('x'.repeat(4000))};`;

let t: TestApp;
beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'mv-web-'));
  mkdirSync(join(dist, 'assets'));
  // As apps/web's build writes them: each text file with its .br and .gz beside it.
  for (const [name, content] of [
    ['index.html', INDEX_HTML],
    [HASHED_JS, HASHED_JS_SOURCE],
  ] as const) {
    writeFileSync(join(dist, name), content);
    writeFileSync(join(dist, `${name}.br`), brotliCompressSync(content));
    writeFileSync(join(dist, `${name}.gz`), gzipSync(content));
  }
  writeFileSync(join(dist, 'app.js'), 'console.log(1)');
  t = await startTestApp({ WEB_DIST_DIR: dist });
});

/** A raw GET, so the body and Content-Encoding arrive as sent (fetch would decode them). */
function rawGet(path: string, acceptEncoding?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const headers: Record<string, string> = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
      get(`${t.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    },
  );
}
afterAll(async () => {
  await t.close();
});

test('the built web app is served at / on the same port as the API', async () => {
  const res = await t.client().get('/');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  expect(String(res.body)).toContain('Messenger Vault');
  expect((await t.client().get('/app.js')).status).toBe(200);
});

test('client-side routes fall back to index.html, but unknown API routes answer JSON 404', async () => {
  const page = await t.client().get('/tenants/123?tab=setup');
  expect(page.status).toBe(200);
  expect(String(page.body)).toContain('<div id="root">');
  const api = await t.client().get('/api/nothing-here');
  expect(api.status).toBe(404);
  expect(api.body.code).toBe('route_not_found');
});

describe('compression and caching of the web app', () => {
  test('brotli is sent to a browser that accepts it, with Content-Encoding and Vary', async () => {
    const res = await rawGet(`/${HASHED_JS}`, 'gzip, deflate, br, zstd');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(brotliDecompressSync(res.body).toString()).toBe(HASHED_JS_SOURCE);
  });

  test('gzip is sent when brotli is not accepted', async () => {
    const res = await rawGet(`/${HASHED_JS}`, 'gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(gunzipSync(res.body).toString()).toBe(HASHED_JS_SOURCE);
  });

  test('the plain file is sent, still with Vary, when no encoding is accepted', async () => {
    const res = await rawGet(`/${HASHED_JS}`);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.body.toString()).toBe(HASHED_JS_SOURCE);
  });

  test('hashed assets are cached as immutable for a year, in every encoding', async () => {
    for (const encoding of ['br', 'gzip', undefined]) {
      const res = await rawGet(`/${HASHED_JS}`, encoding);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  test('index.html, at / and as the SPA fallback, is revalidated on every load', async () => {
    for (const path of ['/', '/index.html', '/tenants/123/setup/messenger']) {
      const res = await rawGet(path, 'br');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-type']).toMatch(/text\/html/);
      const body = res.headers['content-encoding'] === 'br' ? brotliDecompressSync(res.body) : res.body;
      expect(body.toString()).toBe(INDEX_HTML);
    }
  });

  test('a file without a hash in its name is not cached as immutable', async () => {
    const res = await rawGet('/app.js', 'br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-cache');
  });
});
