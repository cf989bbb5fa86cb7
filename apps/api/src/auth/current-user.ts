import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface SessionUser {
  id: string;
  email: string;
  isStaff: boolean;
  /** TOTP is on for the account. */
  mfaEnabled: boolean;
  sessionHash: Buffer;
  /** The session's public id (GET /api/auth/sessions); never the cookie or its hash. */
  sessionId: string;
  /** Signed in through the company identity provider, which is the second factor (decision 0048). */
  signedInWithSso: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: SessionUser;
  }
}

export const IS_PUBLIC = 'mv:public';
export const STAFF_ONLY = 'mv:staffOnly';
export const MFA_ENROLMENT = 'mv:mfaEnrolment';

/** The route needs no session (sign-in, health, the public token API has its own auth). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only SalesMind staff may call the route. */
export const StaffOnly = () => SetMetadata(STAFF_ONLY, true);
/** Reachable by staff who must still enrol in TOTP (REQUIRE_STAFF_MFA): enrolment, who am I, sign out. */
export const AllowedBeforeMfaEnrolment = () => SetMetadata(MFA_ENROLMENT, true);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): SessionUser => {
  const user = ctx.switchToHttp().getRequest<FastifyRequest>().user;
  if (!user) throw new Error('CurrentUser used on a route without a session');
  return user;
});
