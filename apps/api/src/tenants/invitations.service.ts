import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { auditContext, AuditRequestInfo, userActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError, ErrorCode, validationError } from '../common/errors';
import type { SessionUser } from '../auth/current-user';
import { ownOrigin } from '../auth/csrf';
import { hashOpaqueToken, newOpaqueToken } from '../auth/session-token';
import { UsersService } from '../users/users.service';
import { InvitationDto } from './dto/tenant.dto';

@Injectable()
export class InvitationsService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A single-use link; only the token's hash is stored. */
  async invite(
    tenantId: string,
    email: string,
    role: 'admin',
    actor: SessionUser,
    request: FastifyRequest,
  ): Promise<InvitationDto> {
    const { token, hash } = newOpaqueToken();
    const expiresAt = new Date(Date.now() + this.config.inviteTtlHours * 3600_000);
    await this.db.transaction(async (tx) => {
      const rows: Array<{ id: string }> = await tx.query(
        `INSERT INTO invitations (tenant_id, email, role, token_hash, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [tenantId, email.toLowerCase(), role, hash, actor.id, expiresAt],
      );
      // Who was invited and as what; the link's token never goes into the trail.
      await this.audit.record(
        {
          ...auditContext(request),
          action: 'member.invited',
          tenantId,
          target: { type: 'invitation', id: rows[0]!.id },
          metadata: { email: email.toLowerCase(), role, expiresAt },
        },
        tx,
      );
    });
    const inviteUrl = `${ownOrigin(request, this.config.publicUrl)}/invite?token=${encodeURIComponent(token)}`;
    return { inviteToken: token, inviteUrl, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Creates the invited user, or adds the membership to the signed-in account it was sent to.
   * An existing account must be signed in: no password is ever checked here (only
   * `POST /api/auth/login` checks one, throttled and audited), and an invitation link alone never
   * sets anyone's password. See docs/decisions/0012.
   */
  async accept(
    token: string,
    password: string | undefined,
    signedIn: SessionUser | null,
    request: AuditRequestInfo,
  ): Promise<{ userId: string; tenantId: string }> {
    return this.db.transaction(async (tx) => {
      const rows: Array<{
        id: string;
        tenant_id: string;
        email: string;
        role: string;
        expires_at: Date;
        accepted_at: Date | null;
        archived_at: Date | null;
      }> = await tx.query(
        `SELECT i.id, i.tenant_id, i.email, i.role, i.expires_at, i.accepted_at, t.archived_at
           FROM invitations i JOIN tenants t ON t.id = i.tenant_id WHERE i.token_hash = $1 FOR UPDATE OF i`,
        [hashOpaqueToken(token)],
      );
      const inv = rows[0];
      if (!inv || inv.archived_at) {
        throw new DomainError(
          ErrorCode.NotFound,
          'This invitation link is not valid. Check that you copied the whole link, or ask for a new invitation.',
        );
      }
      if (inv.accepted_at)
        throw new DomainError(
          ErrorCode.InvitationUsed,
          'This invitation was already used. Sign in instead, or ask for a new invitation.',
        );
      if (inv.expires_at.getTime() <= Date.now())
        throw new DomainError(
          ErrorCode.InvitationExpired,
          'This invitation has expired. Ask an admin of the tenant to send a new one.',
        );

      // In the transaction: a query on another pooled connection while this one holds the
      // invitation's lock lets a few parallel accepts of one link exhaust the pool and hang.
      const existing = await this.users.findByEmail(inv.email, tx);
      if (signedIn && signedIn.id !== existing?.id) {
        throw new DomainError(
          ErrorCode.InvitationWrongAccount,
          `This invitation is for ${inv.email}, but you are signed in as ${signedIn.email}. Sign out, then open the invitation link again.`,
        );
      }
      let userId: string;
      if (existing) {
        if (!signedIn) {
          throw new DomainError(
            ErrorCode.SignInRequired,
            `An account for ${inv.email} already exists. Sign in as ${inv.email}, then open the invitation link again to join.`,
          );
        }
        userId = existing.id;
      } else {
        if (password === undefined) {
          throw validationError({
            password: ['password is required to create your account (at least 12 characters).'],
          });
        }
        userId = await this.users.create(inv.email, password, false, tx);
      }
      await tx.query(
        `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [inv.tenant_id, userId, inv.role],
      );
      await tx.query(`UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [inv.id, userId]);
      await this.audit.record(
        {
          actor: userActor({ id: userId, email: inv.email, isStaff: existing?.is_staff ?? false }),
          request,
          action: 'member.joined',
          tenantId: inv.tenant_id,
          target: { type: 'user', id: userId },
          metadata: { role: inv.role, invitationId: inv.id, existingAccount: existing !== null },
        },
        tx,
      );
      return { userId, tenantId: inv.tenant_id };
    });
  }
}
