import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { isDatabaseUnavailable } from '../common/database-errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseHealth } from '../core/database-health.service';
import { ReminderRunner } from './reminder-runner';

export const REMINDER_CRON_JOB = 'rotation-reminders';
export const DELIVERY_INTERVAL = 'rotation-reminder-delivery';
/** How often each replica looks for due deliveries: retries are due 30 s after a failure at the soonest. */
export const DELIVERY_POLL_MS = 10_000;

/** The cron expression this process runs the job on, or null: REMINDER_CRON=off, or tests (they call the runner). */
export function reminderSchedule(config: Pick<AppConfig, 'nodeEnv' | 'reminders'>): string | null {
  return config.nodeEnv === 'test' ? null : config.reminders.cron;
}

/**
 * Runs the reminder job on REMINDER_CRON and the delivery worker every few seconds, through
 * @nestjs/schedule's registry (so `ScheduleModule` stops them on shutdown). Every replica fires
 * both; the scan runs on the one replica holding the leader lock (the others log and idle), and
 * deliveries on all of them (SKIP LOCKED shares the outbox out). A run still going when the next is due
 * is not doubled up, and shutdown waits for the one in flight.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private readonly running = new Map<string, Promise<void>>();
  /** The last run failed because the database was away: run again as soon as it answers. */
  private missedRun = false;

  constructor(
    private readonly runner: ReminderRunner,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: DatabaseHealth,
  ) {}

  onApplicationBootstrap(): void {
    const cron = reminderSchedule(this.config);
    if (!cron) {
      const why = this.config.nodeEnv === 'test' ? 'NODE_ENV=test' : 'REMINDER_CRON=off';
      this.logger.log(`rotation reminders do not run on this replica (${why})`);
      return;
    }
    const job = CronJob.from({ cronTime: cron, onTick: () => this.once(REMINDER_CRON_JOB, () => this.runJob()) });
    this.registry.addCronJob(REMINDER_CRON_JOB, job);
    job.start();
    const poll = setInterval(
      () => this.once(DELIVERY_INTERVAL, async () => void (await this.runner.deliverDue())),
      DELIVERY_POLL_MS,
    );
    this.registry.addInterval(DELIVERY_INTERVAL, poll);
    this.health.onRecovered(() => {
      if (!this.missedRun) return;
      this.missedRun = false;
      this.logger.log('the database is back: running the rotation reminders missed during the outage');
      this.once(REMINDER_CRON_JOB, () => this.runJob());
    });
    this.logger.log(`rotation reminders run on "${cron}"; deliveries are checked every ${DELIVERY_POLL_MS / 1000} s`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('cron', REMINDER_CRON_JOB)) this.registry.deleteCronJob(REMINDER_CRON_JOB);
    if (this.registry.doesExist('interval', DELIVERY_INTERVAL)) this.registry.deleteInterval(DELIVERY_INTERVAL);
    await Promise.allSettled(this.running.values());
  }

  onApplicationShutdown(): void {
    this.runner.close();
  }

  private async runJob(): Promise<void> {
    const report = await this.runner.runAsLeader();
    if (!report) {
      this.logger.log(
        'rotation reminders: another replica is running the reminders; this one idles until the next tick',
      );
      return;
    }
    const { recorded, delivery } = report;
    this.logger.log(
      `rotation reminders: ${recorded.length} recorded; deliveries ${delivery.delivered} sent, ` +
        `${delivery.retrying} to retry, ${delivery.failed} given up`,
    );
  }

  private once(name: string, work: () => Promise<void>): void {
    if (this.running.has(name)) return;
    const run = work()
      .catch((err: unknown) => {
        // Type and message only: a database error's detail can quote row values.
        const e = err instanceof Error ? err : new Error(String(err));
        if (isDatabaseUnavailable(err)) {
          this.health.observe(err);
          if (name === REMINDER_CRON_JOB) this.missedRun = true;
        }
        this.logger.error(`${name} failed: ${e.name}: ${e.message.slice(0, 300)}`);
      })
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
  }
}
