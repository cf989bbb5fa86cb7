// Optional OpenTelemetry tracing, end to end: the app as `npm start` runs it with
// OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local OTLP/HTTP receiver stand-in (JSON encoding);
// spans for HTTP requests and database queries arrive, and none carries a secret, a token, a
// user id, a tenant id or a query string (decision 0054).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { dataDir, randomPort, session, start } from './support.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stand-in for an OpenTelemetry collector: keeps every decoded /v1/traces body. */
async function otlpReceiver() {
  const exports = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        assert.match(req.headers['content-type'] ?? '', /application\/json/);
        exports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, exports, close: () => server.close() };
}

const spansOf = (exports) =>
  exports.flatMap((e) => e.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []));
const attr = (span, key) => {
  const a = span.attributes?.find((x) => x.key === key);
  return a ? Object.values(a.value)[0] : undefined;
};

test('with OTEL_EXPORTER_OTLP_ENDPOINT set, HTTP and database spans reach the collector without secrets or ids', async () => {
  const receiver = await otlpReceiver();
  const password = 'tracing-staff-password-1234';
  const env = {
    DATA_DIR: dataDir('mv-tracing-'),
    PORT: String(randomPort(31000)),
    EMBEDDED_PG_PORT: String(randomPort(41000)),
    ADMIN_EMAIL: 'tracing@messenger-vault.test',
    ADMIN_PASSWORD: password,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  const base = `http://127.0.0.1:${env.PORT}`;
  const app = start(env);
  try {
    await app.ready;
    const staff = await session(base, env.ADMIN_EMAIL, password);
    assert.equal(staff.status, 200);
    const tenant = (await staff.call('POST', '/api/tenants', { name: 'Traced tenant' })).body;
    const messengerSecret = 'tracing-messenger-secret-0123456789abcdef';
    assert.equal(
      (await staff.call('PUT', `/api/tenants/${tenant.id}/intercom/app-id`, { appId: 'trace1' })).status,
      200,
    );
    const secretSet = await staff.call('PUT', `/api/tenants/${tenant.id}/intercom/secret`, { secret: messengerSecret });
    assert.ok(secretSet.status < 300, JSON.stringify(secretSet.body));
    const apiKey = (await staff.call('POST', `/api/tenants/${tenant.id}/api-keys`, { name: 'traced' })).body.key;
    const userId = 'traced-user-8c1f2a';
    const probe = 'query-probe-5e7d';
    const res = await fetch(`${base}/v1/intercom/token?probe=${probe}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ user_id: userId, email: 'traced@example.com', platform: 'web' }),
    });
    assert.equal(res.status, 200);
    const { token } = await res.json();

    // The batch processor sends every 200 ms here; wait for the token request's span.
    let spans = [];
    for (let i = 0; i < 100; i++) {
      spans = spansOf(receiver.exports);
      if (spans.some((s) => attr(s, 'http.request.method') === 'POST' && /intercom/.test(attr(s, 'url.path') ?? '')))
        break;
      await sleep(100);
    }
    const tokenSpan = spans.find((s) => attr(s, 'url.path') === '/v1/intercom/token');
    assert.ok(
      tokenSpan,
      `a server span for the token request: ${JSON.stringify(spans.filter((s) => !s.name.startsWith('pg')).map((s) => [s.name, s.attributes]))}`,
    );
    assert.equal(attr(tokenSpan, 'http.response.status_code'), 200);
    assert.ok(
      spans.some((s) => attr(s, 'db.system') === 'postgresql' || attr(s, 'db.system.name') === 'postgresql'),
      'database query spans',
    );
    assert.ok(
      spans.some((s) => attr(s, 'url.path') === '/api/tenants/:id/api-keys'),
      'ids in paths are templated',
    );

    const exported = JSON.stringify(receiver.exports);
    for (const [what, value] of Object.entries({
      apiKey,
      messengerSecret,
      token,
      userId,
      probe,
      tenantId: tenant.id,
      password,
      cookie: staff.cookie.split('=')[1],
      staffEmail: env.ADMIN_EMAIL,
    })) {
      assert.ok(!exported.includes(value), `the ${what} is not in any exported span`);
    }
    for (const span of spans) {
      for (const { key } of span.attributes ?? []) {
        assert.doesNotMatch(key, /header|client\.address|peer|user_agent|url\.query|url\.full|http\.url/, key);
      }
    }
  } finally {
    await app.stop();
    receiver.close();
  }
});
