import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode } from '../common/errors';
import type { SessionUser } from './current-user';
import { MfaService } from './mfa.service';
import { newRecoveryCodes } from './totp';

/**
 * New recovery codes for an account with TOTP on (the old ones stop working). A change of second
 * factor like turning TOTP on or off: it takes a current code, counted on the sign-in throttle,
 * and ends the account's other sessions (decision 0049).
 */
@Injectable()
export class RecoveryCodesService {
  constructor(
    private readonly db: DataSource,
    private readonly mfa: MfaService,
    private readonly audit: AuditService,
  ) {}

  async regenerate(
    user: SessionUser,
    code: string,
    context: AuditContext,
  ): Promise<{ codes: string[]; ended: number }> {
    if (!(await this.mfa.isEnabled(user.id)))
      throw new DomainError(ErrorCode.Conflict, 'Two-factor sign-in is off: turn it on first to get recovery codes.');
    const used = await this.mfa.confirmCode(user, code, context, 'recovery_codes');
    const codes = newRecoveryCodes();
    const ended = await this.db.transaction(async (tx) => {
      const [, n]: [unknown[], number] = await tx.query(`DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2`, [
        user.id,
        user.sessionHash,
      ]);
      await this.mfa.replaceRecoveryCodes(tx, user.id, codes);
      await this.audit.record(
        {
          ...context,
          action: 'auth.mfa.recovery_codes_replaced',
          target: { type: 'user', id: user.id },
          metadata: { with: used, ended: n },
        },
        tx,
      );
      return n;
    });
    return { codes, ended };
  }
}
