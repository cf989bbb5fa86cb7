import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError, ErrorCode, notFound } from '../common/errors';
import { canonicalUuid } from '../common/ids';
import { TenantAccessService } from '../tenants/tenant-access.service';
import { IS_PUBLIC, MFA_ENROLMENT, STAFF_ONLY } from './current-user';
import { csrfProblem, isCsrfExempt } from './csrf';
import { readSessionCookie } from './session-cookie';
import { SessionsService } from './sessions.service';

/**
 * The one gate every route passes, in order: CSRF, session, staff MFA enrolment, staff-only, tenant access.
 * Tenant access keys on the `:tenantId` route parameter itself, so a route added later under
 * /api/tenants/:tenantId is protected without anyone remembering to protect it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly tenantAccess: TenantAccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const token = readSessionCookie(request);

    // Judged on the route the router matched, never on the raw URL: `/%61pi/...` reaches the
    // same handler as `/api/...` and must meet the same check.
    if (!isCsrfExempt(request.routeOptions.url)) {
      const problem = csrfProblem(request, token !== undefined, this.config.publicUrl);
      if (problem) throw new DomainError(ErrorCode.CsrfRejected, problem);
    }
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const user = token ? await this.sessions.resolve(token) : null;
    if (!user)
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'You are not signed in, or your session has expired. Sign in again.',
      );
    request.user = user;

    if (
      this.config.requireStaffMfa &&
      user.isStaff &&
      !user.mfaEnabled &&
      !user.signedInWithSso &&
      !this.reflector.getAllAndOverride<boolean>(MFA_ENROLMENT, targets)
    ) {
      throw new DomainError(
        ErrorCode.MfaEnrolmentRequired,
        'Staff must turn on two-factor sign-in first: POST /api/auth/mfa/totp/setup, then /api/auth/mfa/totp/enable with a code (the Account security page does both).',
      );
    }

    if (this.reflector.getAllAndOverride<boolean>(STAFF_ONLY, targets) && !user.isStaff) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'Only SalesMind staff can do this. Ask a staff member if you need it done.',
      );
    }
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    if ('tenantId' in params) {
      // Canonicalized once, here: everything after (cache keys, the vault's AAD, change
      // notifications, audit rows) sees only the lower-case spelling.
      const tenantId = canonicalUuid(params.tenantId);
      if (tenantId === null) throw notFound('Tenant');
      params.tenantId = tenantId;
      await this.tenantAccess.assertCanAccess(user, tenantId);
    }
    return true;
  }
}
