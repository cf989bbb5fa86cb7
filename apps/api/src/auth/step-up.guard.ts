import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors';

/** How recent a second factor must be for a step-up route (decision 0053). */
export const STEP_UP_MINUTES = 10;

/**
 * Runs after the global AccessGuard (route guards come after global ones), so the session is
 * resolved. Accounts without a second factor pass: whether one is required is the tenant policy's
 * and REQUIRE_STAFF_MFA's call; step-up only asks those who have one (decision 0053).
 */
@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(private readonly db: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<FastifyRequest>().user;
    if (!user?.mfaEnabled) return true;
    const rows: Array<{ fresh: boolean }> = await this.db.query(
      `SELECT coalesce(mfa_at > now() - make_interval(mins => $2), false) AS fresh FROM sessions WHERE id_hash = $1`,
      [user.sessionHash, STEP_UP_MINUTES],
    );
    if (rows[0]?.fresh === true) return true;
    throw new DomainError(
      ErrorCode.StepUpRequired,
      `This action needs a second factor from the last ${STEP_UP_MINUTES} minutes. Confirm it is you with a code from your authenticator app or a passkey (POST /api/auth/step-up), then try again.`,
    );
  }
}

/** The route wants a second factor proved within the last 10 minutes (for accounts that have one). */
export const RequiresRecentMfa = () =>
  applyDecorators(
    UseGuards(StepUpGuard),
    ApiForbiddenResponse({
      description: `step_up_required: the account has two-factor sign-in and this session has not proved it in the last ${STEP_UP_MINUTES} minutes; POST /api/auth/step-up, then retry.`,
    }),
  );
