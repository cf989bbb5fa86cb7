import { createHash } from 'node:crypto';
import { AuditRow, canonicalJson, HASHED_AUDIT_COLUMNS, hashAuditEvent } from './audit-hash';

const row: Omit<AuditRow, 'hash'> = {
  id: '2b0f7c4e-8a51-4f0e-9a3e-1f6c0d3e5a77',
  seq: '7',
  occurred_at: new Date('2024-11-25T10:00:00.123Z'),
  actor_kind: 'staff',
  actor_user_id: null,
  actor_email: 'ops@salesmind.test',
  tenant_id: null,
  action: 'tenant.created',
  target_type: 'tenant',
  target_id: 'abc',
  metadata: { name: 'Acme', nested: { b: 1, a: [2, { d: 1, c: 'é' }] } },
  ip: '127.0.0.1',
  user_agent: 'jest',
  request_id: 'r1',
  prev_hash: 'f'.repeat(64),
};

test('canonical JSON sorts keys at every depth and keeps array order', () => {
  expect(canonicalJson({ b: 1, a: [3, { z: null, y: 'x' }] })).toBe('{"a":[3,{"y":"x","z":null}],"b":1}');
  expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
});

test('the hash is SHA-256 of the documented encoding, so anyone can recompute it', () => {
  const encoded =
    '{"action":"tenant.created","actor_email":"ops@salesmind.test","actor_kind":"staff","actor_user_id":null,' +
    '"id":"2b0f7c4e-8a51-4f0e-9a3e-1f6c0d3e5a77","ip":"127.0.0.1","metadata":{"name":"Acme","nested":{"a":[2,{"c":"é","d":1}],"b":1}},' +
    `"occurred_at":"2024-11-25T10:00:00.123Z","prev_hash":"${'f'.repeat(64)}","request_id":"r1","seq":"7",` +
    '"target_id":"abc","target_type":"tenant","tenant_id":null,"user_agent":"jest"}';
  expect(hashAuditEvent(row)).toBe(createHash('sha256').update(encoded, 'utf8').digest('hex'));
});

test('key order in metadata does not matter (jsonb reorders), but every field and value does', () => {
  const reordered = { ...row, metadata: { nested: { a: [2, { c: 'é', d: 1 }], b: 1 }, name: 'Acme' } };
  expect(hashAuditEvent(reordered)).toBe(hashAuditEvent(row));
  const base = hashAuditEvent(row);
  expect(hashAuditEvent({ ...row, seq: '8' })).not.toBe(base);
  expect(hashAuditEvent({ ...row, prev_hash: null })).not.toBe(base);
  expect(hashAuditEvent({ ...row, occurred_at: new Date('2024-11-25T10:00:00.124Z') })).not.toBe(base);
  expect(hashAuditEvent({ ...row, metadata: { ...row.metadata, name: 'Acme ' } })).not.toBe(base);
  expect(hashAuditEvent({ ...row, ip: null })).not.toBe(base);
});

test.each(HASHED_AUDIT_COLUMNS)('changing %s changes the hash: every listed column is covered', (column) => {
  const value = row[column];
  const altered =
    value instanceof Date
      ? new Date(value.getTime() + 1)
      : value !== null && typeof value === 'object'
        ? { ...value, altered: true }
        : `${value ?? ''}x`;
  expect(hashAuditEvent({ ...row, [column]: altered })).not.toBe(hashAuditEvent(row));
});
