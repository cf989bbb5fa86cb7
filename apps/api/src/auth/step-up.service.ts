import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode } from '../common/errors';
import type { SessionUser } from './current-user';
import { MfaService } from './mfa.service';
import { STEP_UP_MINUTES } from './step-up.guard';

/**
 * Step-up (decision 0053): `sessions.mfa_at` records when the session last proved a second
 * factor (at sign-in, or here); routes marked @RequiresRecentMfa() want it within the last
 * STEP_UP_MINUTES. Judged by the database clock, the one all replicas share.
 */
@Injectable()
export class StepUpService {
  constructor(
    private readonly db: DataSource,
    private readonly mfa: MfaService,
    private readonly audit: AuditService,
  ) {}

  async isFresh(sessionHash: Buffer): Promise<boolean> {
    const rows: Array<{ fresh: boolean }> = await this.db.query(
      `SELECT coalesce(mfa_at > now() - make_interval(mins => $2), false) AS fresh FROM sessions WHERE id_hash = $1`,
      [sessionHash, STEP_UP_MINUTES],
    );
    return rows[0]?.fresh === true;
  }

  /** Records a second factor proved now on this session; answers until when it counts. */
  async markFresh(sessionHash: Buffer): Promise<Date> {
    const rows: [Array<{ until: Date }>, number] = await this.db.query(
      `UPDATE sessions SET mfa_at = now() WHERE id_hash = $1
       RETURNING mfa_at + make_interval(mins => $2) AS until`,
      [sessionHash, STEP_UP_MINUTES],
    );
    return rows[0][0]?.until ?? new Date(Date.now() + STEP_UP_MINUTES * 60_000);
  }

  /** A TOTP or recovery code, counted against the sign-in throttle like any other code. */
  async withCode(user: SessionUser, code: string, context: AuditContext): Promise<Date> {
    if (!user.mfaEnabled) {
      throw new DomainError(
        ErrorCode.Conflict,
        'This account has no two-factor sign-in, so there is nothing to confirm. Turn it on under Account security.',
      );
    }
    const used = await this.mfa.confirmCode(user, code, context, 'step_up');
    return this.succeeded(user, used, context);
  }

  async succeeded(user: SessionUser, used: string, context: AuditContext): Promise<Date> {
    const until = await this.markFresh(user.sessionHash);
    await this.audit.record({
      ...context,
      action: 'auth.step_up.succeeded',
      target: { type: 'user', id: user.id },
      metadata: { with: used },
    });
    return until;
  }
}
