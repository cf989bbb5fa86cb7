import { csvCell } from '@messenger-vault/contracts';
import { auditCsvLine, csvLine } from './audit-csv';
import type { AuditRow } from './audit-hash';

// The escaping rule itself is tested once, in libs/contracts `csv.test.ts`; here: the audit
// export writes through it.
test('the audit export writes every cell with the shared rule, CRLF-ended', () => {
  const row = {
    id: '1',
    seq: '7',
    occurred_at: new Date('2026-01-02T03:04:05.000Z'),
    actor_kind: 'user',
    actor_user_id: null,
    actor_email: '=cmd@evil.example',
    tenant_id: null,
    action: 'auth.login',
    target_type: null,
    target_id: null,
    metadata: { a: 'x,y' },
    ip: null,
    user_agent: ' Mozilla ',
    request_id: null,
    prev_hash: 'p',
    hash: 'h',
  } as unknown as AuditRow;
  const line = auditCsvLine(row);
  expect(line.endsWith('\r\n')).toBe(true);
  expect(line).toContain(`,${csvCell('=cmd@evil.example')},`);
  expect(line).toContain(`,${csvCell(JSON.stringify({ a: 'x,y' }))},`);
  expect(line).toContain('," Mozilla ",');
  expect(csvLine(['a', null, 'b'])).toBe('a,,b\r\n');
});
