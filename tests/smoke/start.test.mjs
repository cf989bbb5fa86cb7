// `npm start` as a newcomer runs it: a real process, embedded PostgreSQL under DATA_DIR, SIGTERM.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { randomPort, start } from './support.mjs';

async function login(base, email, password) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('mv_session='))
    ?.split(';')[0];
  return { status: res.status, cookie };
}

test('npm start serves the login page and API on one port, keeps its data across restarts, and stops on SIGTERM within 10 s', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mv-start-'));
  chmodSync(dataDir, 0o755); // as root, Postgres runs as its own user and must reach its data dir
  const env = { DATA_DIR: dataDir, PORT: String(randomPort(31000)), EMBEDDED_PG_PORT: String(randomPort(41000)) };
  const base = `http://localhost:${env.PORT}`;

  const first = start(env);
  await first.ready;
  const printed = first.output().match(/email:\s+(\S+)\s+password:\s+(\S+)/);
  assert.ok(printed, 'the generated first staff password is printed once');
  const [, email, password] = printed;
  const page = await fetch(`${base}/login`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="root">/);
  const session = await login(base, email, password);
  assert.equal(session.status, 200);
  const created = await fetch(`${base}/api/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, cookie: session.cookie },
    body: JSON.stringify({ name: 'Smoke tenant' }),
  });
  assert.equal(created.status, 201);
  const stopped = await first.stop();
  assert.equal(stopped.code, 0);
  assert.ok(stopped.ms < 10_000, `stopped in ${stopped.ms} ms`);

  const second = start(env);
  await second.ready;
  try {
    assert.doesNotMatch(second.output(), /password:/, 'the password is printed only on the first start');
    const again = await login(base, email, password);
    assert.equal(again.status, 200);
    const list = await (await fetch(`${base}/api/tenants`, { headers: { cookie: again.cookie } })).json();
    assert.ok(list.items.some((t) => t.name === 'Smoke tenant'));
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  } finally {
    const { code, ms } = await second.stop();
    assert.equal(code, 0);
    assert.ok(ms < 10_000, `stopped in ${ms} ms`);
  }
});

test('a bad configuration stops the start with one line per problem', async () => {
  const bad = start({ PORT: 'eighty', SESSION_IDLE_MINUTES: '0' });
  await assert.rejects(bad.ready, (err) => {
    assert.match(err.message, /PORT: must be a whole number/);
    assert.match(err.message, /SESSION_IDLE_MINUTES: must be at least 1/);
    return true;
  });
});

test('a data directory from another PostgreSQL major stops the start with a message saying what to do', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mv-old-'));
  chmodSync(dataDir, 0o755);
  mkdirSync(join(dataDir, 'postgres'));
  writeFileSync(join(dataDir, 'postgres', 'PG_VERSION'), '18\n');
  const old = start({
    DATA_DIR: dataDir,
    PORT: String(randomPort(36000)),
    EMBEDDED_PG_PORT: String(randomPort(46000)),
  });
  await assert.rejects(old.ready, (err) => {
    assert.match(err.message, /created by PostgreSQL 18, but this version runs PostgreSQL 15/);
    assert.match(err.message, /Move that directory away/);
    return true;
  });
});
