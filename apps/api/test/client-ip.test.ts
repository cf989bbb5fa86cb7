import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, REPO_ROOT } from '../src/config/config';
import { startTestApp, TestApp, uniqueIp } from './harness';

/** The failed sign-in's audit IP and whether a throttle row exists for `ip`. */
async function traces(t: TestApp, email: string, ip: string) {
  const audit: Array<{ ip: string }> = await t.db.query(
    `SELECT ip FROM audit_events WHERE action = 'auth.login.failed' AND actor_email = $1`,
    [email],
  );
  const throttled: unknown[] = await t.db.query(`SELECT 1 FROM login_throttle WHERE scope = 'ip' AND subject = $1`, [
    ip,
  ]);
  return { auditIps: audit.map((r) => r.ip), throttled: throttled.length > 0 };
}

const wrongLogin = (t: TestApp, email: string, xff: string) =>
  t.client().post('/api/auth/login', { email, password: 'not-the-password' }, { 'x-forwarded-for': xff });

describe('TRUST_PROXY', () => {
  test.each(['true', 'TRUE', '*', 'all', 'yes', '0.0.0.0/0', '10.0.0.1,::/0'])(
    'trusting every proxy (%s) is refused at start, with what to set instead',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
      try {
        loadConfig({ TRUST_PROXY: value });
      } catch (e) {
        expect((e as ConfigError).problems.join('\n')).toMatch(/^TRUST_PROXY: .*(hop count|number of proxies)/m);
      }
    },
  );

  test('off by default; a hop count or a list of addresses and ranges is accepted', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 10.0.1.0/24,fd00::/8 ,loopback' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.0.1.0/24',
      'fd00::/8',
      'loopback',
    ]);
  });

  test('a list entry that is not an address or a range is named in the error', () => {
    for (const [value, named] of [
      ['10.0.0.5,proxy.internal', 'proxy.internal'],
      ['10.0.0.0/33', '10.0.0.0/33'],
      ['99', 'at most 10'],
    ] as const) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(named);
    }
  });

  test("docker-compose.yml's default fits its own layout: replicas published directly, no proxy trusted", () => {
    const compose = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    const setting = compose.match(/TRUST_PROXY: \$\{TRUST_PROXY:-([^}]*)\}/);
    expect(setting).not.toBeNull();
    expect(loadConfig({ TRUST_PROXY: setting![1] }).trustProxy).toBe(false);
  });
});

describe('a forged X-Forwarded-For', () => {
  test('without TRUST_PROXY changes neither the lockout IP nor the audit IP', async () => {
    const t = await startTestApp();
    try {
      const email = `forged-${randomUUID()}@x.test`;
      const forged = '198.51.100.66';
      expect((await wrongLogin(t, email, forged)).status).toBe(401);
      const seen = await traces(t, email, forged);
      expect(seen.auditIps).toEqual(['127.0.0.1']);
      expect(seen.throttled).toBe(false);
    } finally {
      await t.close();
    }
  });

  test('behind one trusted hop, only the address the proxy appended counts; forging the left-most escapes nothing', async () => {
    const t = await startTestApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_IP: '3' });
    try {
      const real = uniqueIp();
      const email = `hop-${randomUUID()}@x.test`;
      // What a load balancer forwards: the client's own (forged) header, then the peer it saw.
      for (let i = 0; i < 3; i++) expect((await wrongLogin(t, email, `10.9.9.${i}, ${real}`)).status).toBe(401);
      const blocked = await wrongLogin(t, `other-${randomUUID()}@x.test`, `10.9.9.99, ${real}`);
      expect(blocked.status).toBe(429);
      const seen = await traces(t, email, real);
      expect(seen.auditIps).toEqual([real, real, real]);
      expect(seen.throttled).toBe(true);
      expect((await traces(t, email, '10.9.9.0')).throttled).toBe(false);
    } finally {
      await t.close();
    }
  });

  test('with a proxy list that does not include the peer, the header is ignored', async () => {
    const t = await startTestApp({ TRUST_PROXY: '10.0.0.5,10.0.1.0/24' });
    try {
      const email = `list-${randomUUID()}@x.test`;
      expect((await wrongLogin(t, email, '198.51.100.77')).status).toBe(401);
      expect((await traces(t, email, '198.51.100.77')).auditIps).toEqual(['127.0.0.1']);
    } finally {
      await t.close();
    }
  });

  test('with the peer listed as the proxy, the client is the first address the proxy did not add', async () => {
    const t = await startTestApp({ TRUST_PROXY: 'loopback' });
    try {
      const email = `listed-${randomUUID()}@x.test`;
      expect((await wrongLogin(t, email, '6.6.6.6, 198.51.100.78')).status).toBe(401);
      expect((await traces(t, email, '198.51.100.78')).auditIps).toEqual(['198.51.100.78']);
    } finally {
      await t.close();
    }
  });
});
