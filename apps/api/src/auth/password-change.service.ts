import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { validationError } from '../common/errors';
import type { SessionUser } from './current-user';
import { AuthService } from './auth.service';
import { hashPassword } from './passwords';
import { SessionsService } from './sessions.service';

/**
 * A password change ends every session of the account (the users trigger, decision 0013) and
 * gives this browser a new one: the change is a privilege change, so the session id changes too
 * (decision 0049). The current password is checked by the sign-in service, throttled like a sign-in.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly db: DataSource,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async change(
    user: SessionUser,
    currentPassword: string,
    newPassword: string,
    context: AuditContext,
    userAgent: string | undefined,
  ): Promise<{ token: string; expiresAt: Date; ended: number }> {
    const ip = context.request?.ip ?? 'unknown';
    await this.auth.confirmPassword(user, currentPassword, context);
    if (newPassword === currentPassword)
      throw validationError({ newPassword: ['newPassword must differ from the current password.'] });
    const hash = await hashPassword(newPassword);
    return this.db.transaction(async (tx) => {
      const counted: Array<{ n: number }> = await tx.query(
        `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND id <> $2`,
        [user.id, user.sessionId],
      );
      const n = counted[0]?.n ?? 0;
      // The trigger on users ends every session of the account, this one included.
      await tx.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, hash]);
      const session = await this.sessions.create(user.id, ip, userAgent, null, tx);
      await this.audit.record(
        { ...context, action: 'auth.password.changed', target: { type: 'user', id: user.id }, metadata: { ended: n } },
        tx,
      );
      return { ...session, ended: n };
    });
  }
}
