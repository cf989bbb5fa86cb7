import type { QueryRunner } from 'typeorm';
import { REMINDER_LEADER_LOCK, type RunReport } from '../src/rotation/reminder-runner';
import { startTestApp, TestApp } from './harness';
import { runnerOf, tenantWithSecret } from './rotation-fixtures';

/**
 * Two replicas on one database fire the reminder job at once. The scan is held mid-way by a row
 * lock on the tenant's secret version (the reminder's foreign key check waits for it), so both
 * runs really overlap whatever the machine's speed.
 */
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp(), startTestApp()]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

/** Holds the tenant's secret versions FOR UPDATE until `release`: the leader's insert waits on it. */
async function holdScan(tenantId: string): Promise<{ release: () => Promise<void> }> {
  const q: QueryRunner = a.db.createQueryRunner();
  await q.connect();
  await q.startTransaction();
  await q.query(`SELECT id FROM secret_versions WHERE tenant_id = $1 FOR UPDATE`, [tenantId]);
  return {
    release: async () => {
      await q.commitTransaction();
      await q.release();
    },
  };
}

/**
 * The backend pid holding the leader lock in this database, once some session holds it. Advisory
 * locks are per database but pg_locks shows the server's: a test file on a database of its own
 * (rotation-concurrency runs the cron there) holds the same lock number, and its pid must not be
 * the one this test terminates.
 */
async function leaderPid(notPid?: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const rows: Array<{ pid: number }> = await a.db.query(
      `SELECT pid FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 1
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [REMINDER_LEADER_LOCK],
    );
    const pid = rows[0]?.pid;
    if (pid !== undefined && pid !== notPid) return pid;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no replica took the reminder leader lock');
}

async function recordedFor(tenantId: string): Promise<number> {
  const [{ n }]: [{ n: number }] = await a.db.query(
    `SELECT count(*)::int AS n FROM rotation_notifications WHERE tenant_id = $1`,
    [tenantId],
  );
  return n;
}

test('two replicas fire the job together: exactly one scans, the other idles', async () => {
  const s = await tenantWithSecret(a);
  const at = s.day(100);
  const before = [runnerOf(a).stats.succeeded, runnerOf(b).stats.succeeded];
  const skippedBefore = runnerOf(a).stats.skipped + runnerOf(b).stats.skipped;
  const hold = await holdScan(s.tenantId);
  let reports: Array<RunReport | null>;
  try {
    const runs = [runnerOf(a), runnerOf(b)].map((r) => r.runAsLeader({ at, tenantId: s.tenantId }));
    await leaderPid();
    // The replica that lost the race returns while the leader is still held mid-scan.
    const skipped = await Promise.race(runs.map((run) => run.then((r) => (r === null ? 'skipped' : 'ran'))));
    expect(skipped).toBe('skipped');
    await hold.release();
    reports = await Promise.all(runs);
  } catch (err) {
    await hold.release().catch(() => undefined);
    throw err;
  }
  expect(reports.filter((r) => r !== null)).toHaveLength(1);
  expect(reports.find((r) => r !== null)!.recorded.map((r) => r.tenantId)).toEqual([s.tenantId]);
  const scans = runnerOf(a).stats.succeeded - before[0]! + (runnerOf(b).stats.succeeded - before[1]!);
  expect(scans).toBe(1);
  expect(runnerOf(a).stats.skipped + runnerOf(b).stats.skipped - skippedBefore).toBe(1);
  expect(await recordedFor(s.tenantId)).toBe(1);
  const skippedOn = await Promise.all(
    [a, b].map(async (app) => {
      const text = (await app.client().get<string>('/metrics')).body;
      return Number(/^messenger_vault_reminder_runs_total\{outcome="skipped"\} (\d+)$/m.exec(text)?.[1]);
    }),
  );
  expect(skippedOn[0]! + skippedOn[1]!).toBeGreaterThanOrEqual(1);
  // The lock is released after the run: the next tick can lead again.
  expect(await runnerOf(b).runAsLeader({ at, tenantId: s.tenantId })).not.toBeNull();
});

test("the leader's connection dies mid-scan: the lock goes with it and another replica takes over", async () => {
  const s = await tenantWithSecret(a);
  const at = s.day(100);
  const hold = await holdScan(s.tenantId);
  try {
    const leading = runnerOf(a).runAsLeader({ at, tenantId: s.tenantId });
    leading.catch(() => undefined); // awaited below; only a failed assertion above leaves it alone
    const pid = await leaderPid();
    expect(await runnerOf(b).runAsLeader({ at, tenantId: s.tenantId })).toBeNull();

    // What a SIGKILLed replica's connections look like to Postgres: gone.
    await a.db.query(`SELECT pg_terminate_backend($1)`, [pid]);
    // pg_terminate_backend only signals: wait for the backend to be gone.
    for (let i = 0; (await a.db.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [pid])).length; i++) {
      if (i > 200) throw new Error(`backend ${pid} did not exit`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const takeover = runnerOf(b).runAsLeader({ at, tenantId: s.tenantId });
    expect(await leaderPid(pid)).not.toBe(pid);
    await hold.release();
    const [report] = await Promise.all([takeover, leading]);
    expect(report).not.toBeNull();
  } catch (err) {
    await hold.release().catch(() => undefined);
    throw err;
  }
  // Both scans reached the insert; the unique key kept it to one reminder.
  expect(await recordedFor(s.tenantId)).toBe(1);
});
