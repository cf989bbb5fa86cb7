import { registeredRoutes } from '../src/bootstrap/create-app';
import { startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Fastify writes `:param`, OpenAPI writes `{param}`. */
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

test('the OpenAPI document covers every route the app serves', async () => {
  const res = await t.client().get('/api/docs-json');
  expect(res.status).toBe(200);
  const doc = res.body as { paths: Record<string, Record<string, unknown>> };
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
  );
  const served = registeredRoutes(t.app)
    .filter((r) => !['HEAD', 'OPTIONS'].includes(r.method) && !r.url.startsWith('/api/docs'))
    .map((r) => `${r.method} ${toOpenApiPath(r.url)}`);
  expect(served.length).toBeGreaterThan(5);
  expect(served.filter((r) => !documented.has(r))).toEqual([]);
});

test('every documented operation has a summary', async () => {
  const doc = (await t.client().get('/api/docs-json')).body as {
    paths: Record<string, Record<string, { summary?: string }>>;
  };
  const missing = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => !op.summary)
      .map(([m]) => `${m} ${path}`),
  );
  expect(missing).toEqual([]);
});

test('the Swagger UI is served at /api/docs', async () => {
  const res = await t.client().get('/api/docs');
  expect(res.status).toBe(200);
  expect(String(res.body)).toMatch(/swagger/i);
});
