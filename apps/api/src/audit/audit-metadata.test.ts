import { cleanText, isSensitiveKey, scrubAuditMetadata } from './audit-metadata';

const CANARY = 'canary-5b1f0c0e-audit-metadata';

test('keys named like credentials are dropped at every depth, whatever their value', () => {
  const scrubbed = scrubAuditMetadata({
    secret: CANARY,
    apiKey: CANARY,
    password: CANARY,
    inviteToken: CANARY,
    userHash: CANARY,
    Authorization: `Bearer ${CANARY}`,
    nested: { clientSecret: CANARY, deeper: [{ sessionId: CANARY, platform: 'web' }] },
    platform: 'ios',
  });
  expect(JSON.stringify(scrubbed)).not.toContain(CANARY);
  expect(scrubbed).toEqual({ nested: { deeper: [{ platform: 'web' }] }, platform: 'ios' });
});

test('whitelisted names that only look sensitive are kept', () => {
  const safe = { fingerprint: 'ab12', keyPrefix: 'mv_live_ab', apiKeyId: 'k1', secretVersion: 3, tokenTtlSeconds: 900 };
  expect(scrubAuditMetadata(safe)).toEqual(safe);
  expect(isSensitiveKey('secretVersion')).toBe(false);
  expect(isSensitiveKey('secretValue')).toBe(true);
});

test('raw bytes are never recorded; dates and redacting wrappers record as they serialise', () => {
  const wrapper = { toJSON: () => '[redacted]' };
  const scrubbed = scrubAuditMetadata({
    raw: Buffer.from(CANARY),
    bytes: new Uint8Array([1, 2, 3]),
    at: new Date('2024-11-25T10:00:00Z'),
    wrapped: wrapper,
    fn: () => CANARY,
    big: 12n,
    nan: Number.NaN,
  });
  expect(JSON.stringify(scrubbed)).not.toContain(CANARY);
  expect(scrubbed).toEqual({ at: '2024-11-25T10:00:00.000Z', wrapped: '[redacted]', big: '12', nan: null });
});

test('depth, length and text that Postgres refuses are bounded', () => {
  let deep: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < 20; i++) deep = { d: deep };
  expect(JSON.stringify(scrubAuditMetadata(deep))).toContain('[too deep]');
  expect(cleanText('x'.repeat(5000))).toHaveLength(2000);
  expect(cleanText('a\u0000b\uD800c')).toBe('ab\uFFFDc');
  expect(scrubAuditMetadata({ list: Array.from({ length: 500 }, (_, i) => i) }).list).toHaveLength(100);
});
