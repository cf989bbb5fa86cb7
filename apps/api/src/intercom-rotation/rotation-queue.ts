import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { RotationRunner } from './rotation-runner';

/** pg-boss's queue of rotation steps: `{rotationId}`; the run's row says what the step is. */
export const ROTATION_QUEUE = 'intercom-rotation-step';
/** Once a minute, any replica re-queues live runs that are due and that nobody took (a lost job). */
export const ROTATION_SWEEP_QUEUE = 'intercom-rotation-sweep';
const SWEEP_GRACE_SECONDS = 30;

interface StepJob {
  rotationId: string;
}

/**
 * The job queue that runs rotations: pg-boss in the app's own database, over the app's own
 * connection pool (decision 0038). A job only says "advance this run"; the run's row is the
 * truth, its row lock makes one worker at a time advance it, so a duplicate or replayed job is
 * harmless. A step that must wait (the overlap, a 429, a backoff) ends its job and queues the
 * next one for later. At start every live run is queued again, so a replica that was killed
 * mid-step resumes where the row says, without waiting for pg-boss's job expiry.
 */
@Injectable()
export class RotationQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IntercomRotation');
  private boss: PgBoss | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly runner: RotationRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get running(): boolean {
    return this.boss !== null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.intercomRotation.worker) return;
    const pool = (this.db.driver as unknown as { master: Pool }).master;
    const boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema: 'pgboss',
      // Finished jobs are kept a day for support; the runs' own rows are the history.
      deleteAfterDays: 1,
    });
    // pg-boss reports what its maintenance could not do (a database outage) as events; they are logged, never thrown.
    boss.on('error', (err: Error) => this.logger.warn(`job queue: ${err.message}`));
    await boss.start();
    const retry = { retryLimit: 20, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 };
    await boss.createQueue(ROTATION_QUEUE, { name: ROTATION_QUEUE, ...retry });
    await boss.createQueue(ROTATION_SWEEP_QUEUE, { name: ROTATION_SWEEP_QUEUE, policy: 'singleton' });
    await boss.work<StepJob>(
      ROTATION_QUEUE,
      { pollingIntervalSeconds: this.config.intercomRotation.pollMs / 1000, batchSize: 1 },
      async ([job]) => {
        if (!job) return;
        const until = await this.runner.advance(job.data.rotationId);
        if (until) await this.send(boss, job.data.rotationId, until);
      },
    );
    await boss.work(ROTATION_SWEEP_QUEUE, { pollingIntervalSeconds: 30 }, () => this.sweep(boss, SWEEP_GRACE_SECONDS));
    await boss.schedule(ROTATION_SWEEP_QUEUE, '* * * * *');
    this.boss = boss;
    await this.sweep(boss, null);
  }

  async onApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    // The pool is the app's; a step cut short by the shutdown is resumed by the next start.
    await boss?.stop({ close: false, graceful: true, wait: true, timeout: 5_000 });
  }

  /** Queues a step of the run now. Without a worker in this process, the sweep of one that has it finds the run. */
  async enqueue(rotationId: string): Promise<void> {
    if (!this.boss) return;
    await this.send(this.boss, rotationId, null).catch((err: Error) =>
      this.logger.warn(`could not queue rotation ${rotationId} (${err.message}); the sweep queues it within a minute`),
    );
  }

  private send(boss: PgBoss, rotationId: string, startAfter: Date | null): Promise<string | null> {
    return boss.send(ROTATION_QUEUE, { rotationId }, startAfter ? { startAfter } : {});
  }

  /** `graceSeconds` null: every live run (at start); else the ones overdue by that long. */
  private async sweep(boss: PgBoss, graceSeconds: number | null): Promise<void> {
    const rows: Array<{ id: string; next_run_at: Date }> = await this.db.query(
      `SELECT id, next_run_at FROM intercom_rotations
        WHERE state IN ('creating', 'overlapping', 'deleting_old')
          AND ($1::int IS NULL OR next_run_at <= now() - $1::int * interval '1 second')`,
      [graceSeconds],
    );
    for (const row of rows) await this.send(boss, row.id, row.next_run_at > new Date() ? row.next_run_at : null);
    if (rows.length) this.logger.log(`queued ${rows.length} live rotation(s) again`);
  }
}
