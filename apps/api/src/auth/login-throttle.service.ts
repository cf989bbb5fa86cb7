import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../common/errors';

const MAX_LOCKOUT_SECONDS = 15 * 60;

/** What `reserve` took, so a successful sign-in can give it back. */
export interface LoginReservation {
  account: string;
  ip: string;
  /** The IP's lock as this reservation left it, as Postgres text (microseconds kept), or null. */
  ipLockedUntil: string | null;
}

/**
 * Slows down sign-in guessing per account and per IP. Counters live in Postgres so every
 * replica enforces the same budget. Each attempt is counted as a failure *before* the password
 * is checked, in one transaction that holds both counters' row locks: however many guesses
 * arrive at once, at most the limit of them reach the (slow) argon2 check, the rest get 429.
 * A success gives its reservation back. Past the limit each further failure doubles the wait.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one attempt for the account and the IP, or throws 429 with Retry-After when either is locked. */
  async reserve(email: string, ip: string): Promise<LoginReservation> {
    const account = email.toLowerCase();
    const { lockoutSeconds, windowMinutes, maxFailuresPerAccount, maxFailuresPerIp } = this.config.login;
    return this.db.transaction(async (tx) => {
      // Rows are created and locked in one order (account, then ip), so concurrent attempts queue, never deadlock.
      await tx.query(
        `INSERT INTO login_throttle (scope, subject) VALUES ('account', $1), ('ip', $2) ON CONFLICT DO NOTHING`,
        [account, ip],
      );
      const locks: Array<{ wait: number | null }> = await tx.query(
        `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS wait FROM login_throttle
          WHERE (scope = 'account' AND subject = $1) OR (scope = 'ip' AND subject = $2)
          ORDER BY scope FOR UPDATE`,
        [account, ip],
      );
      const wait = Math.max(0, ...locks.map((l) => l.wait ?? 0));
      if (wait > 0) {
        throw new DomainError(
          ErrorCode.TooManyRequests,
          `Too many failed sign-ins. Wait ${wait} seconds and try again, or reset your password with a staff member.`,
          { retryAfterSeconds: wait },
        );
      }
      // The window restarts once it is over (no lock is live here: that was just checked).
      const [rows]: [Array<{ scope: string; locked_until: string | null }>, number] = await tx.query(
        `UPDATE login_throttle t SET
           failures = n.failures,
           window_started_at = CASE WHEN n.restart THEN now() ELSE t.window_started_at END,
           locked_until = CASE WHEN n.failures >= n.lim
             THEN now() + make_interval(secs => least($3::float8 * power(2, n.failures - n.lim), $4::float8))
             ELSE t.locked_until END
         FROM (
           SELECT s.scope, s.subject, l.lim, r.restart, CASE WHEN r.restart THEN 1 ELSE s.failures + 1 END AS failures
             FROM login_throttle s
             JOIN (VALUES ('account', $1, $6::int), ('ip', $2, $7::int)) AS l(scope, subject, lim)
               ON l.scope = s.scope AND l.subject = s.subject
             CROSS JOIN LATERAL (SELECT s.window_started_at < now() - make_interval(mins => $5) AS restart) r
         ) n
         WHERE t.scope = n.scope AND t.subject = n.subject
         RETURNING t.scope, t.locked_until::text AS locked_until`,
        [account, ip, lockoutSeconds, MAX_LOCKOUT_SECONDS, windowMinutes, maxFailuresPerAccount, maxFailuresPerIp],
      );
      return { account, ip, ipLockedUntil: rows.find((r) => r.scope === 'ip')?.locked_until ?? null };
    });
  }

  /**
   * A correct password: the account's count starts over, and the IP gets its attempt back
   * (with the lock this very attempt set, if it set one), so signing in never locks an office out.
   */
  async release(reservation: LoginReservation): Promise<void> {
    await this.db.query(`DELETE FROM login_throttle WHERE scope = 'account' AND subject = $1`, [reservation.account]);
    await this.db.query(
      `UPDATE login_throttle SET failures = greatest(failures - 1, 0),
              locked_until = CASE WHEN locked_until = $2::timestamptz THEN NULL ELSE locked_until END
        WHERE scope = 'ip' AND subject = $1`,
      [reservation.ip, reservation.ipLockedUntil],
    );
  }
}
