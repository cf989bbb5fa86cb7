import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AUDIT_COLUMNS } from '../src/audit/audit-chain';
import { AuditRow, hashAuditEvent } from '../src/audit/audit-hash';
import { AuditService } from '../src/audit/audit.service';
import { oneChainTamperingTestAtATime } from './audit-fixtures';
import { runCliCaptured } from './cli-runner';
import { startTestApp, STAFF_EMAIL, STAFF_PASSWORD, TestApp } from './harness';

/**
 * The chain is global, and other test files append to it while these run. Every test that
 * tampers restores the row before it ends, so the chain is valid again for everyone; and each
 * test holds the lock audit-verify-checkpoint's tests hold, so neither verifies the other's tamper.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});
oneChainTamperingTestAtATime();

const SYSTEM = { actor: { kind: 'system' as const, userId: null, email: null }, request: null };

/** What someone with database access could do: bypass the append-only trigger for one transaction. */
async function bypassingTrigger(db: DataSource, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    await tx.query(sql, params);
  });
}

const cli = (...argv: string[]) => runCliCaptured(argv);

/**
 * An event in the middle of the chain to tamper with, and the id of the one after it (which
 * may be another test file's: they append concurrently).
 */
async function middleEvent(): Promise<{ id: string; seq: string; nextId: string }> {
  const audit = t.app.get(AuditService);
  const { id, seq } = await audit.record({ ...SYSTEM, action: 'webhook.changed', metadata: { marker: randomUUID() } });
  await audit.record({ ...SYSTEM, action: 'webhook.changed' });
  const [next]: Array<{ id: string }> = await t.db.query(`SELECT id FROM audit_events WHERE seq = $1::bigint + 1`, [
    seq,
  ]);
  return { id, seq, nextId: next!.id };
}

test('UPDATE, DELETE and TRUNCATE are refused by the database itself', async () => {
  const { id } = await middleEvent();
  await expect(t.db.query(`UPDATE audit_events SET action = 'auth.logout' WHERE id = $1`, [id])).rejects.toThrow(
    /append-only: UPDATE/,
  );
  await expect(t.db.query(`DELETE FROM audit_events WHERE id = $1`, [id])).rejects.toThrow(/append-only: DELETE/);
  await expect(t.db.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only: TRUNCATE/);
  expect(
    await t.db.query(`SELECT 1 FROM audit_events WHERE id = $1 AND action = 'webhook.changed'`, [id]),
  ).toHaveLength(1);
});

test('an intact chain verifies, over the API and from the command line with progress', async () => {
  await middleEvent();
  const res = await (await t.staff()).get('/api/audit/verify');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ valid: true, checked: expect.any(Number), firstBrokenId: null, resumedFromSeq: null });
  expect(res.body.checked).toBeGreaterThan(2);

  const { code, out } = await cli('audit:verify', '--batch-size', '2');
  expect(code).toBe(0);
  expect(out).toMatch(/^checked \d+ of \d+ events \(\d+%\)$/m);
  expect(out).toMatch(/The audit trail is intact: \d+ event\(s\) checked\./);
});

test('an event edited in the database is reported by verify and audit:verify exits 1', async () => {
  const { id, seq } = await middleEvent();
  const [original]: Array<{ metadata: object }> = await t.db.query(`SELECT metadata FROM audit_events WHERE id = $1`, [
    id,
  ]);
  await bypassingTrigger(t.db, `UPDATE audit_events SET metadata = '{"marker":"forged"}' WHERE id = $1`, [id]);
  try {
    const res = await (await t.staff()).get('/api/audit/verify');
    expect(res.body).toEqual({ valid: false, checked: Number(seq), firstBrokenId: id, resumedFromSeq: null });

    const { code, err } = await cli('audit:verify');
    expect(code).toBe(1);
    expect(err).toContain(`broken at event ${id} (seq ${seq})`);
    expect(err).toMatch(/hash does not match its contents/);
  } finally {
    await bypassingTrigger(t.db, `UPDATE audit_events SET metadata = $2::jsonb WHERE id = $1`, [
      id,
      JSON.stringify(original!.metadata),
    ]);
  }
  expect((await (await t.staff()).get('/api/audit/verify')).body.valid).toBe(true);
});

test('an edit whose hash is recomputed is still caught: the next event no longer links to it', async () => {
  const { id, nextId } = await middleEvent();
  const [row]: AuditRow[] = await t.db.query(`SELECT ${AUDIT_COLUMNS} FROM audit_events e WHERE id = $1`, [id]);
  const forged = { ...row!, action: 'auth.logout' };
  await bypassingTrigger(t.db, `UPDATE audit_events SET action = $2, hash = $3 WHERE id = $1`, [
    id,
    forged.action,
    hashAuditEvent(forged),
  ]);
  try {
    const res = await (await t.staff()).get('/api/audit/verify');
    expect(res.body).toMatchObject({ valid: false, firstBrokenId: nextId });
  } finally {
    await bypassingTrigger(t.db, `UPDATE audit_events SET action = $2, hash = $3 WHERE id = $1`, [
      id,
      row!.action,
      row!.hash,
    ]);
  }
  expect((await (await t.staff()).get('/api/audit/verify')).body.valid).toBe(true);
});

test('an event deleted from the middle is reported at the event after it', async () => {
  const { id, nextId } = await middleEvent();
  const [row]: Array<Record<string, unknown>> = await t.db.query(`SELECT * FROM audit_events WHERE id = $1`, [id]);
  await bypassingTrigger(t.db, `DELETE FROM audit_events WHERE id = $1`, [id]);
  try {
    const res = await (await t.staff()).get('/api/audit/verify');
    expect(res.body).toMatchObject({ valid: false, firstBrokenId: nextId });
    const { code, err } = await cli('audit:verify');
    expect(code).toBe(1);
    expect(err).toMatch(/were removed/);
  } finally {
    const columns = Object.keys(row!);
    await t.db.query(
      `INSERT INTO audit_events (${columns.join(', ')}) VALUES (${columns.map((c, i) => (c === 'metadata' ? `$${i + 1}::jsonb` : `$${i + 1}`)).join(', ')})`,
      columns.map((c) => (c === 'metadata' ? JSON.stringify(row![c]) : row![c])),
    );
  }
  expect((await (await t.staff()).get('/api/audit/verify')).body.valid).toBe(true);
});

test('two API replicas writing at once never fork the chain', async () => {
  const second = await startTestApp();
  try {
    const marker = randomUUID();
    const writes = [t, second].flatMap((app, replica) => [
      ...Array.from({ length: 40 }, (_, i) =>
        app.app
          .get(AuditService)
          .record({ ...SYSTEM, action: 'intercom.settings.changed', metadata: { marker, replica, i } }),
      ),
      // Real requests too: sign-ins record through the whole stack.
      ...Array.from({ length: 5 }, () =>
        app.client().post('/api/auth/login', { email: STAFF_EMAIL, password: STAFF_PASSWORD }),
      ),
    ]);
    await Promise.all(writes);
    const mine: Array<{ seq: string }> = await t.db.query(
      `SELECT seq FROM audit_events WHERE metadata->>'marker' = $1`,
      [marker],
    );
    expect(mine).toHaveLength(80);

    const chain: Array<{ seq: string; prev_hash: string | null; hash: string }> = await t.db.query(
      `SELECT seq::text AS seq, prev_hash, hash FROM audit_events ORDER BY audit_events.seq`,
    );
    chain.forEach((link, i) => {
      expect({ seq: link.seq, prev: link.prev_hash }).toEqual({
        seq: String(i + 1),
        prev: i === 0 ? null : chain[i - 1]!.hash,
      });
    });
    expect(new Set(chain.map((l) => l.prev_hash)).size).toBe(chain.length);
    expect((await (await second.staff()).get('/api/audit/verify')).body).toMatchObject({ valid: true });
  } finally {
    await second.close();
  }
});

test('audit:verify refuses a bad --batch-size', async () => {
  const { code, err } = await cli('audit:verify', '--batch-size', '0');
  expect(code).toBe(1);
  expect(err).toMatch(/--batch-size must be a whole number/);
});
