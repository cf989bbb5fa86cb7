import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../common/errors';

const MAX_LOCKOUT_SECONDS = 15 * 60;

type Scope = 'account' | 'ip';

/**
 * Slows down failed sign-ins per account and per IP. Counters live in Postgres so every
 * replica enforces the same budget. Past the limit each further failure doubles the wait.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws 429 with Retry-After when either the account or the IP is locked out. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const rows: Array<{ wait: number }> = await this.db.query(
      `SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS wait
         FROM login_throttle
        WHERE ((scope = 'account' AND subject = $1) OR (scope = 'ip' AND subject = $2)) AND locked_until > now()`,
      [email.toLowerCase(), ip],
    );
    const wait = rows[0]?.wait;
    if (wait && wait > 0) {
      throw new DomainError(
        ErrorCode.TooManyRequests,
        `Too many failed sign-ins. Wait ${wait} seconds and try again, or reset your password with a staff member.`,
        { retryAfterSeconds: wait },
      );
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await this.bump('account', email.toLowerCase(), this.config.login.maxFailuresPerAccount);
    await this.bump('ip', ip, this.config.login.maxFailuresPerIp);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.db.query(`DELETE FROM login_throttle WHERE scope = 'account' AND subject = $1`, [email.toLowerCase()]);
  }

  private async bump(scope: Scope, subject: string, limit: number): Promise<void> {
    const { lockoutSeconds, windowMinutes } = this.config.login;
    // One statement, so concurrent failures from several replicas are all counted.
    await this.db.query(
      `INSERT INTO login_throttle AS t (scope, subject, failures, window_started_at)
       VALUES ($1, $2, 1, now())
       ON CONFLICT (scope, subject) DO UPDATE SET
         failures = CASE WHEN t.window_started_at < now() - make_interval(mins => $3) AND (t.locked_until IS NULL OR t.locked_until < now())
                         THEN 1 ELSE t.failures + 1 END,
         window_started_at = CASE WHEN t.window_started_at < now() - make_interval(mins => $3) AND (t.locked_until IS NULL OR t.locked_until < now())
                         THEN now() ELSE t.window_started_at END`,
      [scope, subject, windowMinutes],
    );
    await this.db.query(
      `UPDATE login_throttle
          SET locked_until = now() + make_interval(secs => least($3::float8 * power(2, failures - $4), $5::float8))
        WHERE scope = $1 AND subject = $2 AND failures >= $4`,
      [scope, subject, lockoutSeconds, limit, MAX_LOCKOUT_SECONDS],
    );
  }
}
