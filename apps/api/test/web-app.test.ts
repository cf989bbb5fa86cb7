import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'mv-web-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Messenger Vault</title><div id="root"></div>');
  writeFileSync(join(dist, 'app.js'), 'console.log(1)');
  t = await startTestApp({ WEB_DIST_DIR: dist });
});
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
