import type { IntegrationRow } from '../../api/staff';
import { integrationsCsv, integrationsCsvFileName } from './integrationsCsv';

const platform = (on: boolean, tokens: number) => ({
  securityEnabled: on,
  enabledAt: on ? '2026-05-01T10:00:00.000Z' : null,
  lastTokenAt: tokens ? '2026-05-02T10:00:00.000Z' : null,
  tokensLast24h: tokens,
});

const row: IntegrationRow = {
  tenantId: '7c0c5a52-3c3e-4b1c-9a51-0c9a1f3e2b11',
  tenantName: '=Evil, "Corp"',
  appId: 'abc123',
  identityMode: 'hmac',
  secretVersion: 2,
  secretAgeDays: 40,
  rotationDueAt: '2026-07-30T10:00:00.000Z',
  rotationStatus: 'ok',
  autoRotate: true,
  platforms: { web: platform(true, 5), ios: platform(false, 0), android: platform(true, 0) },
  tokensLast24h: 5,
  lastTokenAt: '2026-05-02T10:00:00.000Z',
  stepsDone: 4,
  problems: [
    { code: 'legacy_hmac', severity: 'warning', message: 'HMAC' },
    { code: 'platform_off', severity: 'error', message: 'off', platform: 'ios' },
  ],
};

test('the export has one line per tenant under a header, with every platform spelled out', () => {
  const [header, line, end] = integrationsCsv([row]).split('\r\n');
  expect(header).toBe(
    'tenant_id,tenant_name,app_id,identity_mode,secret_version,secret_age_days,rotation_due_at,rotation_status,auto_rotate,' +
      'web_security,web_tokens_24h,web_last_token_at,ios_security,ios_tokens_24h,ios_last_token_at,' +
      'android_security,android_tokens_24h,android_last_token_at,tokens_24h,last_token_at,steps_done,problems',
  );
  expect(line).toBe(
    `${row.tenantId},"'=Evil, ""Corp""",abc123,hmac,2,40,2026-07-30T10:00:00.000Z,ok,on,` +
      'on,5,2026-05-02T10:00:00.000Z,off,0,,on,0,,5,2026-05-02T10:00:00.000Z,4,Legacy HMAC; Platform off · iOS',
  );
  expect(end).toBe('');
});

test('no tenants is a header alone', () => {
  expect(integrationsCsv([]).split('\r\n')).toHaveLength(2);
});

test('the file is named after the UTC day', () => {
  expect(integrationsCsvFileName(new Date('2026-05-01T23:30:00-05:00'))).toBe('integrations-2026-05-02.csv');
});
