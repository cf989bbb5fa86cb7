import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, Postmaster, PostmasterOptions, stopOrphan } from './postmaster';
import { inspectDataDir } from './postmaster-pid';

/** Failed restarts in a row before giving up; one that works starts the count again. */
export const MAX_RESTARTS = 5;
/** The wait before a restart doubles with every death until a server stays up this long (crash loops slow down). */
const STABLE_MS = 60_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;

export type SupervisorEvent =
  | { type: 'orphan_stopped'; pid: number }
  | { type: 'stale_pid_removed'; pid: number }
  | { type: 'exited'; pid: number; code: number | null; signal: string | null }
  | { type: 'restarting'; attempt: number; delayMs: number }
  | { type: 'restart_failed'; attempt: number; error: string }
  | { type: 'restarted'; pid: number; attempt: number; downMs: number }
  | { type: 'gave_up'; attempts: number; error: string };

export interface SupervisorOptions extends PostmasterOptions {
  /** Restart the server when it dies. Off for CLI commands and test servers, which just end. */
  supervise: boolean;
  onEvent?: (event: SupervisorEvent) => void;
}

export type SupervisorState = 'running' | 'restarting' | 'failed' | 'stopped';

/** One embedded PostgreSQL server for the life of the process, started again when it dies. */
export class PostmasterSupervisor {
  state: SupervisorState = 'stopped';
  private current: Postmaster | null = null;
  private startedAt = 0;
  /** Failed restarts in a row: what gives up. */
  private failures = 0;
  /** Restarts since the server last stayed up STABLE_MS: what sets the wait. */
  private backoff = 0;
  private timer: NodeJS.Timeout | null = null;
  private pending: Promise<unknown> | null = null;
  private stopping = false;

  constructor(private readonly opts: SupervisorOptions) {}

  get pid(): number | undefined {
    return this.current?.pid;
  }

  /** The first start: its failure is the caller's (the API refuses to start). */
  async start(): Promise<void> {
    await this.launchOnce();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pending?.catch(() => undefined);
    await this.current?.stop();
    this.current = null;
    this.state = 'stopped';
  }

  private async launchOnce(): Promise<void> {
    await this.clearLeftovers();
    const postmaster = await launch(this.opts);
    this.current = postmaster;
    this.startedAt = Date.now();
    this.state = 'running';
    void postmaster.exited.then(({ code, signal }) => this.onExit(postmaster, code, signal));
  }

  /** A server left by a killed run is stopped; a pid file naming another program is removed. */
  private async clearLeftovers(): Promise<void> {
    const found = inspectDataDir(this.opts.dir);
    if (found.kind === 'orphan') {
      await stopOrphan(found.pid);
      this.opts.onEvent?.({ type: 'orphan_stopped', pid: found.pid });
    } else if (found.kind === 'stale' && found.reused) {
      await unlink(join(this.opts.dir, 'postmaster.pid')).catch(() => undefined);
      this.opts.onEvent?.({ type: 'stale_pid_removed', pid: found.pid });
    }
  }

  private onExit(postmaster: Postmaster, code: number | null, signal: string | null): void {
    if (this.stopping || this.current !== postmaster) return;
    this.current = null;
    this.opts.onEvent?.({ type: 'exited', pid: postmaster.pid, code, signal });
    if (!this.opts.supervise) {
      this.state = 'stopped';
      return;
    }
    if (Date.now() - this.startedAt >= STABLE_MS) this.backoff = 0;
    this.scheduleRestart(Date.now(), `exited with ${signal ?? `code ${code}`}`);
  }

  private scheduleRestart(downSince: number, lastError: string): void {
    if (this.failures >= MAX_RESTARTS) {
      this.state = 'failed';
      this.opts.onEvent?.({ type: 'gave_up', attempts: this.failures, error: lastError });
      return;
    }
    const attempt = this.failures + 1;
    this.backoff += 1;
    const delayMs = Math.min(FIRST_DELAY_MS * 2 ** (this.backoff - 1), MAX_DELAY_MS);
    this.state = 'restarting';
    this.opts.onEvent?.({ type: 'restarting', attempt, delayMs });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pending = this.launchOnce().then(
        () => {
          this.failures = 0;
          this.opts.onEvent?.({ type: 'restarted', pid: this.pid!, attempt, downMs: Date.now() - downSince });
        },
        (err: unknown) => {
          this.failures += 1;
          const error = err instanceof Error ? err.message : String(err);
          this.opts.onEvent?.({ type: 'restart_failed', attempt, error });
          if (!this.stopping) this.scheduleRestart(downSince, error);
        },
      );
    }, delayMs);
  }
}
