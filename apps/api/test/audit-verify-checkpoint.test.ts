import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { verifyAuditChain } from '../src/audit/audit-chain';
import { AuditService } from '../src/audit/audit.service';
import { oneChainTamperingTestAtATime } from './audit-fixtures';
import { runCliCaptured } from './cli-runner';
import { startTestApp, TestApp } from './harness';

/**
 * Batched verify and its checkpoints. The chain and the checkpoints are global and other test
 * files append while these run: every tamper is undone before its test ends (holding the lock
 * audit-chain's tests hold), and expectations about checkpoints and counts are bounds, not exact
 * seqs.
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
const cli = (...argv: string[]) => runCliCaptured(argv);

async function bypassingTrigger(db: DataSource, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    await tx.query(sql, params);
  });
}

async function record(): Promise<{ id: string; seq: string }> {
  return t.app.get(AuditService).record({ ...SYSTEM, action: 'webhook.changed', metadata: { marker: randomUUID() } });
}

/** Runs `during` with event `id`'s metadata forged, then puts it back. */
async function withForgedEvent(id: string, during: () => Promise<void>): Promise<void> {
  const [original]: Array<{ metadata: object }> = await t.db.query(`SELECT metadata FROM audit_events WHERE id = $1`, [
    id,
  ]);
  await bypassingTrigger(t.db, `UPDATE audit_events SET metadata = '{"marker":"forged"}' WHERE id = $1`, [id]);
  try {
    await during();
  } finally {
    await bypassingTrigger(t.db, `UPDATE audit_events SET metadata = $2::jsonb WHERE id = $1`, [
      id,
      JSON.stringify(original!.metadata),
    ]);
  }
}

test('an event changed in a batch after the first is found and named', async () => {
  for (let i = 0; i < 6; i++) await record();
  const { id, seq } = await record();
  await record();
  expect(Number(seq)).toBeGreaterThan(6);
  await withForgedEvent(id, async () => {
    const result = await verifyAuditChain(t.db, { batchSize: 3 });
    expect(result).toMatchObject({ valid: false, firstBrokenId: id, firstBrokenSeq: seq, checked: Number(seq) });
    expect(result.problem).toMatch(/hash does not match its contents/);

    const { code, err } = await cli('audit:verify', '--batch-size', '3');
    expect(code).toBe(1);
    expect(err).toContain(`broken at event ${id} (seq ${seq})`);
  });
  expect((await verifyAuditChain(t.db, { batchSize: 3 })).valid).toBe(true);
});

test('a valid run leaves a checkpoint; --from-checkpoint and from=checkpoint verify only the tail', async () => {
  const full = await verifyAuditChain(t.db);
  expect(full).toMatchObject({ valid: true, resumedFromSeq: null });
  const [{ head }]: [{ head: string }] = await t.db.query(`SELECT max(seq)::text AS head FROM audit_events`);
  const [checkpoint]: Array<{ seq: string; hash: string; events: string }> = await t.db.query(
    `SELECT seq::text AS seq, hash, events::text AS events FROM audit_verify_checkpoints WHERE seq = $1`,
    [full.checked.toString()],
  );
  expect(checkpoint).toMatchObject({ seq: String(full.checked), events: String(full.checked) });
  expect(BigInt(head)).toBeGreaterThanOrEqual(BigInt(full.checked));

  // Events other files append meanwhile may outnumber the chain when this runs early: the head
  // after a run bounds what it can have read, past the checkpoint it started from.
  const headNow = async () =>
    BigInt(((await t.db.query(`SELECT max(seq)::text AS head FROM audit_events`)) as [{ head: string }])[0].head);
  const tail = [await record(), await record(), await record()];
  const resumed = await verifyAuditChain(t.db, { fromCheckpoint: true });
  expect(resumed.valid).toBe(true);
  expect(BigInt(resumed.resumedFromSeq!)).toBeGreaterThanOrEqual(BigInt(full.checked));
  // Only what follows the checkpoint was read, and that reached the events just written.
  expect(BigInt(resumed.resumedFromSeq!) + BigInt(resumed.checked)).toBeLessThanOrEqual(await headNow());
  expect(BigInt(resumed.resumedFromSeq!) + BigInt(resumed.checked)).toBeGreaterThanOrEqual(BigInt(tail[2]!.seq));

  await record();
  const api = await (await t.staff()).get('/api/audit/verify?from=checkpoint');
  expect(api.status).toBe(200);
  expect(api.body).toMatchObject({ valid: true, firstBrokenId: null, resumedFromSeq: expect.any(String) });
  expect(BigInt(api.body.resumedFromSeq)).toBeGreaterThanOrEqual(BigInt(full.checked));
  expect(BigInt(api.body.resumedFromSeq) + BigInt(api.body.checked)).toBeLessThanOrEqual(await headNow());

  await record();
  const { code, out } = await cli('audit:verify', '--from-checkpoint');
  expect(code).toBe(0);
  expect(out).toMatch(/intact: \d+ event\(s\) checked after the checkpoint at event \d+/);
});

test('the trade-off: an edit before the checkpoint escapes a resumed run and is caught by a full one', async () => {
  const { id, seq } = await record();
  await record();
  expect((await verifyAuditChain(t.db)).valid).toBe(true);
  await withForgedEvent(id, async () => {
    const resumed = await verifyAuditChain(t.db, { fromCheckpoint: true });
    expect(resumed.valid).toBe(true);
    expect(BigInt(resumed.resumedFromSeq!)).toBeGreaterThan(BigInt(seq));

    const full = await (await t.staff()).get('/api/audit/verify');
    expect(full.body).toMatchObject({ valid: false, firstBrokenId: id, resumedFromSeq: null });
  });
});

test('a checkpoint whose event was changed is not trusted: the resumed run starts earlier and names it', async () => {
  await record();
  expect((await verifyAuditChain(t.db)).valid).toBe(true);
  const { id, seq } = await record();
  // The checkpoint now sits on the event about to be forged.
  expect(await verifyAuditChain(t.db)).toMatchObject({ valid: true });
  await t.db.query(`DELETE FROM audit_verify_checkpoints WHERE seq > $1`, [seq]);
  const [{ n }]: [{ n: number }] = await t.db.query(
    `SELECT count(*)::int AS n FROM audit_verify_checkpoints WHERE seq = $1`,
    [seq],
  );
  if (n === 0)
    await t.db.query(
      `INSERT INTO audit_verify_checkpoints (seq, event_id, hash, events)
       SELECT seq, id, hash, seq FROM audit_events WHERE seq = $1`,
      [seq],
    );
  await withForgedEvent(id, async () => {
    const resumed = await verifyAuditChain(t.db, { fromCheckpoint: true });
    expect(resumed).toMatchObject({ valid: false, firstBrokenId: id, firstBrokenSeq: seq });
    expect(resumed.resumedFromSeq === null || BigInt(resumed.resumedFromSeq) < BigInt(seq)).toBe(true);
  });
});

test('a rewritten checkpoint hash is not trusted either', async () => {
  await record();
  const full = await verifyAuditChain(t.db);
  expect(full.valid).toBe(true);
  await t.db.query(`UPDATE audit_verify_checkpoints SET hash = repeat('0', 64) WHERE seq = $1`, [full.checked]);
  const resumed = await verifyAuditChain(t.db, { fromCheckpoint: true });
  expect(resumed.valid).toBe(true);
  expect(resumed.resumedFromSeq === null || BigInt(resumed.resumedFromSeq) < BigInt(full.checked)).toBe(true);
});

test('from= other than start or checkpoint is a 400 naming the choices', async () => {
  const res = await (await t.staff()).get('/api/audit/verify?from=yesterday');
  expect(res.status).toBe(400);
  expect(res.body.fields.from).toEqual([
    'from must be "start" (the whole chain) or "checkpoint" (only what follows it).',
  ]);
});
