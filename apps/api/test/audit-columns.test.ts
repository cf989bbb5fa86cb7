import { AUDIT_CSV_HEADER } from '../src/audit/audit-csv';
import { AUDIT_EVENT_COLUMNS, HASHED_AUDIT_COLUMNS } from '../src/audit/audit-hash';
import { startTestApp, TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

test('the audit column list is the audit_events table, column for column, in order', async () => {
  const rows: Array<{ column_name: string }> = await t.db.query(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'audit_events' ORDER BY ordinal_position`,
  );
  expect(rows.map((r) => r.column_name)).toEqual([...AUDIT_EVENT_COLUMNS]);
  // A column added to the table is hashed (and exported) unless it is the link itself.
  expect([...HASHED_AUDIT_COLUMNS, 'hash']).toEqual([...AUDIT_EVENT_COLUMNS]);
  expect([...AUDIT_CSV_HEADER]).toEqual([...AUDIT_EVENT_COLUMNS]);
});
