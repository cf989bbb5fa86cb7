import { Inject, Injectable } from '@nestjs/common';
import type { CurrentUser } from '@messenger-vault/contracts';
import { AuditContext, userActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { UsersService } from '../users/users.service';
import { LoginThrottleService } from './login-throttle.service';
import { MfaService } from './mfa.service';
import { verifyPassword } from './passwords';
import { SessionsService } from './sessions.service';

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
  requestId?: string;
}

export type LoginOutcome =
  | { mfaRequired: false; user: CurrentUser; token: string; expiresAt: Date }
  | { mfaRequired: true; challenge: { token: string; expiresAt: Date } };

const requestOf = (client: ClientInfo) => ({
  ip: client.ip,
  userAgent: client.userAgent ?? null,
  requestId: client.requestId ?? null,
});

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly mfa: MfaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string, client: ClientInfo): Promise<LoginOutcome> {
    // Counted before the check, so parallel guesses can't all slip past the limit.
    const reservation = await this.throttle.reserve(email, client.ip);
    const user = await this.users.findByEmail(email);
    const ok = await verifyPassword(user?.password_hash ?? null, password);
    if (!user || !ok) {
      // The email as typed, so staff can see who is being targeted; never the password.
      await this.audit.record({
        actor: { kind: user?.is_staff ? 'staff' : 'user', userId: user?.id ?? null, email },
        request: requestOf(client),
        action: 'auth.login.failed',
        metadata: { reason: user ? 'wrong_password' : 'unknown_email' },
      });
      // One message for unknown email and wrong password, so accounts can't be enumerated.
      throw new DomainError(ErrorCode.InvalidCredentials, 'Email or password is incorrect.');
    }
    if (await this.mfa.isEnabled(user.id)) {
      // The reservation stays counted until a code completes the sign-in: a known password
      // must not reset the budget for guessing the code.
      return { mfaRequired: true, challenge: await this.mfa.beginChallenge(user.id) };
    }
    await this.throttle.release(reservation);
    const session = await this.sessions.create(user.id, client.ip, client.userAgent);
    await this.audit.record({
      actor: userActor({ id: user.id, email: user.email, isStaff: user.is_staff }),
      request: requestOf(client),
      action: 'auth.login.succeeded',
      target: { type: 'user', id: user.id },
    });
    return { mfaRequired: false, user: await this.users.describe(user.id), ...session };
  }

  /**
   * The signed-in account's current password, checked like a sign-in (decision 0012's one door): reserved
   * against the same throttle first, every failure audited. For changing the password (decision 0049).
   */
  async confirmPassword(
    user: { id: string; email: string; isStaff: boolean },
    password: string,
    context: AuditContext,
  ) {
    const reservation = await this.throttle.reserve(user.email, context.request?.ip ?? 'unknown');
    const row = await this.users.findByEmail(user.email);
    if (row?.id !== user.id || !(await verifyPassword(row.password_hash, password))) {
      await this.audit.record({
        ...context,
        action: 'auth.login.failed',
        target: { type: 'user', id: user.id },
        metadata: { reason: 'wrong_password', during: 'password_change' },
      });
      throw new DomainError(ErrorCode.InvalidCredentials, 'Your current password is incorrect.');
    }
    await this.throttle.release(reservation);
  }

  async startSession(userId: string, client: ClientInfo): Promise<{ token: string; expiresAt: Date }> {
    return this.sessions.create(userId, client.ip, client.userAgent);
  }

  async logout(token: string, context: AuditContext): Promise<void> {
    await this.sessions.destroy(token);
    const userId = context.actor.userId;
    await this.audit.record({
      ...context,
      action: 'auth.logout',
      target: userId ? { type: 'user', id: userId } : null,
    });
  }

  /** "Sign out everywhere": ends every session of the user, on every device and replica. */
  async logoutEverywhere(userId: string, context: AuditContext): Promise<number> {
    const ended = await this.sessions.destroyAllForUser(userId);
    await this.audit.record({
      ...context,
      action: 'auth.logout_all',
      target: { type: 'user', id: userId },
      metadata: { ended },
    });
    return ended;
  }

  me(userId: string): Promise<CurrentUser> {
    return this.users.describe(userId);
  }

  /** `GET /me`: the user, with where they stand on two-factor sign-in. */
  async describeSession(user: { id: string; isStaff: boolean; mfaEnabled: boolean }): Promise<CurrentUser> {
    return {
      ...(await this.users.describe(user.id)),
      mfaEnabled: user.mfaEnabled,
      mfaEnrolmentRequired: this.config.requireStaffMfa && user.isStaff && !user.mfaEnabled,
    };
  }
}
