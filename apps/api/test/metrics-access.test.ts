import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/config/config';
import { startTestApp, type TestApp } from './harness';
import { promtool, runPromtool, scrape, tempFile } from './metrics-fixtures';
import { connectedTenant } from './token-fixtures';

// Who may read /metrics (DESIGN.md, "Contract details, second round" → Metrics), and whether
// Prometheus' own tool accepts what it reads and the rules shipped under deploy/prometheus/.
const METRICS_TOKEN = 'mt_3b1f0c9e7a5d4e2f8a6b0c1d2e3f4a5b6c7d8e9f';
const PRODUCTION = { NODE_ENV: 'production', REMINDER_CRON: 'off', REQUIRE_STAFF_MFA: 'false' };
const PROMETHEUS_DIR = join(REPO_ROOT, 'deploy/prometheus');

describe('in production', () => {
  let withToken: TestApp;
  let withoutToken: TestApp;
  beforeAll(async () => {
    withToken = await startTestApp({ ...PRODUCTION, METRICS_TOKEN });
    withoutToken = await startTestApp(PRODUCTION);
  });
  afterAll(async () => {
    await Promise.all([withToken?.close(), withoutToken?.close()]);
  });

  test('/metrics is 404 while METRICS_TOKEN is unset, whatever is sent', async () => {
    for (const authorization of [undefined, `Bearer ${METRICS_TOKEN}`, 'Bearer ']) {
      const res = await withoutToken.client(null).get('/metrics', authorization ? { authorization } : {});
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 404 });
      expect(JSON.stringify(res.body)).not.toMatch(/messenger_vault_/);
    }
  });

  test('/metrics needs the bearer token: 401 without it or with any other, 200 with it', async () => {
    const wrong = [
      undefined,
      METRICS_TOKEN,
      `Basic ${METRICS_TOKEN}`,
      `Bearer ${METRICS_TOKEN.slice(0, -1)}`,
      `Bearer ${METRICS_TOKEN}x`,
      `bearer  ${METRICS_TOKEN}`,
    ];
    for (const authorization of wrong) {
      const res = await withToken.client(null).get('/metrics', authorization ? { authorization } : {});
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
      expect(JSON.stringify(res.body)).not.toContain(METRICS_TOKEN.slice(3, 20));
    }
    const ok = await scrape(withToken.client(null), { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(ok.values.get('messenger_vault_db_up')).toBe(1);
    // The token is never in a log line.
    expect(withToken.logs.join('\n')).not.toContain(METRICS_TOKEN.slice(3, 20));
  });
});

test('a METRICS_TOKEN too short or with spaces is refused at start, without echoing it', async () => {
  for (const bad of ['short-token', `${'a'.repeat(20)} ${'b'.repeat(20)}`]) {
    const started = startTestApp({ METRICS_TOKEN: bad });
    await expect(started).rejects.toThrow(/METRICS_TOKEN: must be 32 to 256 printable characters/);
    await expect(started).rejects.not.toThrow(bad);
  }
});

describe('promtool', () => {
  const tool = promtool();
  const check = tool ? test : test.skip;
  let t: TestApp;
  beforeAll(async () => {
    if (tool) t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(async () => {
    await t?.close();
  });

  check('`promtool check metrics` accepts the exposition after traffic, outside production open to all', async () => {
    const tenant = await connectedTenant(t);
    for (const platform of ['web', 'ios', 'android', 'windows']) {
      await t
        .client(null)
        .post('/v1/intercom/token', { user_id: '1', platform }, { authorization: `Bearer ${tenant.apiKey}` });
    }
    const { text } = await scrape(t.client(null));
    expect(text).toContain('messenger_vault_token_requests_total{endpoint="token",platform="web",outcome="issued"} 1');
    runPromtool(['check', 'metrics'], text);
  });

  check(
    'the alert rules and the scrape config under deploy/prometheus are valid, and each alert fires when it should',
    () => {
      runPromtool(['check', 'rules', join(PROMETHEUS_DIR, 'alerts.yml')]);
      runPromtool(['test', 'rules', join(PROMETHEUS_DIR, 'alerts.test.yml')]);
      runPromtool(['check', 'config', '--syntax-only', join(PROMETHEUS_DIR, 'prometheus.yml')]);
      // Every metric an alert or the dashboard names is one the API exposes (a renamed metric
      // would silence its alert and blank its panel).
      const rules = readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8');
      const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'deploy/grafana/messenger-vault.json'), 'utf8')) as {
        panels: Array<{ targets: Array<{ expr: string }> }>;
      };
      const exprs = [rules, ...dashboard.panels.flatMap((p) => p.targets.map((q) => q.expr))].join('\n');
      const named = new Set([...exprs.matchAll(/\bmessenger_vault_\w+/g)].map((m) => m[0]));
      expect(named.size).toBeGreaterThan(8);
      return scrape(t.client(null)).then(({ text }) => {
        for (const name of named)
          expect({ name, exposed: text.includes(`\n${name}`) }).toEqual({ name, exposed: true });
      });
    },
  );

  check('promtool itself fails on a broken exposition (the check can fail)', () => {
    const broken = '# TYPE x_total counter\nx_total{a="1"} 1\nx_total{a="1"} 2\n# TYPE x_total gauge\n';
    expect(() => runPromtool(['check', 'metrics'], broken)).toThrow(/promtool check metrics failed/);
    expect(() =>
      runPromtool([
        'check',
        'rules',
        tempFile('bad.yml', 'groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: rate(\n'),
      ]),
    ).toThrow();
  });
});
