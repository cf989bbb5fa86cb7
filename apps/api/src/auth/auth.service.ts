import { Injectable } from '@nestjs/common';
import type { CurrentUser } from '@messenger-vault/contracts';
import { DomainError, ErrorCode } from '../common/errors';
import { UsersService } from '../users/users.service';
import { LoginThrottleService } from './login-throttle.service';
import { verifyPassword } from './passwords';
import { SessionsService } from './sessions.service';

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottleService,
  ) {}

  async login(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<{ user: CurrentUser; token: string; expiresAt: Date }> {
    await this.throttle.assertAllowed(email, client.ip);
    const user = await this.users.findByEmail(email);
    const ok = await verifyPassword(user?.password_hash ?? null, password);
    if (!user || !ok) {
      await this.throttle.recordFailure(email, client.ip);
      // One message for unknown email and wrong password, so accounts can't be enumerated.
      throw new DomainError(ErrorCode.InvalidCredentials, 'Email or password is incorrect.');
    }
    await this.throttle.recordSuccess(email);
    const session = await this.sessions.create(user.id, client.ip, client.userAgent);
    return { user: await this.users.describe(user.id), ...session };
  }

  async startSession(userId: string, client: ClientInfo): Promise<{ token: string; expiresAt: Date }> {
    return this.sessions.create(userId, client.ip, client.userAgent);
  }

  logout(token: string): Promise<void> {
    return this.sessions.destroy(token);
  }

  me(userId: string): Promise<CurrentUser> {
    return this.users.describe(userId);
  }
}
