import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { auditContext, AuditRequestInfo, userActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../common/errors';
import type { SessionUser } from '../auth/current-user';
import { ownOrigin } from '../auth/csrf';
import { verifyPassword } from '../auth/passwords';
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
   * Creates the invited user, or links an existing one. An existing account must prove itself
   * with its current password: an invitation link alone must never reset someone's password.
   */
  async accept(
    token: string,
    password: string,
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

      const existing = await this.users.findByEmail(inv.email);
      let userId: string;
      if (existing) {
        if (!(await verifyPassword(existing.password_hash, password))) {
          throw new DomainError(
            ErrorCode.InvalidCredentials,
            `An account for ${inv.email} already exists. Enter its current password to join this tenant.`,
          );
        }
        userId = existing.id;
      } else {
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
