import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantEvents } from '../core/tenant-events';
import type { Page } from '@messenger-vault/contracts';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { cursorTimestamp, decodeCursor, encodeCursor } from '../common/cursor';
import { DomainError, ErrorCode, notFound } from '../common/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
import type { SessionUser } from '../auth/current-user';
import { TenantDto, TenantMemberDto, UpdateTenantDto } from './dto/tenant.dto';

interface TenantRow {
  id: string;
  name: string;
  created_at: Date;
  archived_at: Date | null;
  require_mfa: boolean;
  cursor_at?: string;
}

const toDto = (r: TenantRow): TenantDto => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  archivedAt: r.archived_at?.toISOString() ?? null,
  requireMfa: r.require_mfa,
});

@Injectable()
export class TenantsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: TenantEvents,
  ) {}

  async create(name: string, actor: SessionUser, context: AuditContext): Promise<TenantDto> {
    return this.db.transaction(async (tx) => {
      const rows: TenantRow[] = await tx.query(
        `INSERT INTO tenants (name, created_by) VALUES ($1, $2) RETURNING id, name, created_at, archived_at, require_mfa`,
        [name, actor.id],
      );
      const tenant = rows[0]!;
      await this.audit.record(
        {
          ...context,
          action: 'tenant.created',
          tenantId: tenant.id,
          target: { type: 'tenant', id: tenant.id },
          metadata: { name },
        },
        tx,
      );
      return toDto(tenant);
    });
  }

  /** Newest first. Staff see every tenant; a member sees only the live tenants they belong to. */
  async list(
    user: SessionUser,
    opts: { cursor?: string; limit?: number; includeArchived?: boolean },
  ): Promise<Page<TenantDto>> {
    const limit = opts.limit ?? 50;
    const after = decodeCursor(opts.cursor);
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (!user.isStaff) {
      params.push(user.id);
      where.push(
        `t.id IN (SELECT tenant_id FROM memberships WHERE user_id = $${params.length})`,
        't.archived_at IS NULL',
      );
    } else if (!opts.includeArchived) {
      where.push('t.archived_at IS NULL');
    }
    if (after) {
      params.push(after.at, after.id);
      where.push(`(t.created_at, t.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const rows: TenantRow[] = await this.db.query(
      `SELECT t.id, t.name, t.created_at, t.archived_at, t.require_mfa, ${cursorTimestamp('t.created_at')} AS cursor_at FROM tenants t
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.created_at DESC, t.id DESC LIMIT $1`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDto),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursor_at!, id: last.id }) : null,
    };
  }

  async get(tenantId: string): Promise<TenantDto> {
    const rows: TenantRow[] = await this.db.query(
      `SELECT id, name, created_at, archived_at, require_mfa FROM tenants WHERE id = $1`,
      [tenantId],
    );
    if (!rows[0]) throw notFound('Tenant');
    return toDto(rows[0]);
  }

  /** Renames, archives or restores; an audit event records what actually changed, if anything did. */
  async update(tenantId: string, change: UpdateTenantDto, context: AuditContext): Promise<TenantDto> {
    return this.db.transaction(async (tx) => {
      const before: TenantRow[] = await tx.query(
        `SELECT id, name, created_at, archived_at, require_mfa FROM tenants WHERE id = $1 FOR UPDATE`,
        [tenantId],
      );
      if (!before[0]) throw notFound('Tenant');
      // TypeORM answers UPDATE ... RETURNING as [rows, affectedCount].
      const [rows]: [TenantRow[], number] = await tx.query(
        `UPDATE tenants SET
           name = coalesce($2::text, name),
           archived_at = CASE WHEN $3::boolean IS NULL THEN archived_at
                              WHEN $3::boolean THEN coalesce(archived_at, now()) ELSE NULL END
         WHERE id = $1 RETURNING id, name, created_at, archived_at, require_mfa`,
        [tenantId, change.name ?? null, change.archived ?? null],
      );
      const [was, now] = [toDto(before[0]), toDto(rows[0]!)];
      const changes = [
        ...(was.name !== now.name ? ['renamed'] : []),
        ...(!was.archivedAt && now.archivedAt ? ['archived'] : []),
        ...(was.archivedAt && !now.archivedAt ? ['restored'] : []),
      ];
      if (changes.includes('archived') || changes.includes('restored')) {
        // An archived tenant's API keys stop working on every replica at once.
        await this.events.settingsChanged(tenantId, tx);
      }
      if (changes.length) {
        await this.audit.record(
          {
            ...context,
            action: 'tenant.updated',
            tenantId,
            target: { type: 'tenant', id: tenantId },
            metadata: {
              changes,
              from: { name: was.name, archived: was.archivedAt !== null },
              to: { name: now.name, archived: now.archivedAt !== null },
            },
          },
          tx,
        );
      }
      return now;
    });
  }

  /**
   * Takes a user's membership away. Their sessions end with it, in the same transaction, by the
   * trigger on memberships (migration 1732620500000), whichever code path removes a membership.
   */
  async removeMember(tenantId: string, userId: string, context: AuditContext): Promise<void> {
    if (!UUID.test(userId)) throw notFound('Member');
    await this.db.transaction(async (tx) => {
      const [rows]: [Array<{ role: string; email: string }>, number] = await tx.query(
        `DELETE FROM memberships m USING users u
          WHERE m.tenant_id = $1 AND m.user_id = $2::uuid AND u.id = m.user_id
          RETURNING m.role, u.email`,
        [tenantId, userId],
      );
      const removed = rows[0];
      if (!removed) throw notFound('Member');
      await this.audit.record(
        {
          ...context,
          action: 'member.removed',
          tenantId,
          target: { type: 'user', id: userId },
          metadata: { email: removed.email, role: removed.role },
        },
        tx,
      );
    });
  }

  /** The tenant's admins, with whether each uses two-factor sign-in (what "require it" would affect). */
  async members(tenantId: string): Promise<TenantMemberDto[]> {
    const rows: Array<{ user_id: string; email: string; role: 'admin'; mfa_enabled: boolean; created_at: Date }> =
      await this.db.query(
        `SELECT m.user_id, u.email, m.role, m.created_at,
                user_has_mfa(m.user_id) AS mfa_enabled
           FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.tenant_id = $1
          ORDER BY m.created_at, u.email`,
        [tenantId],
      );
    return rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      role: r.role,
      mfaEnabled: r.mfa_enabled,
      joinedAt: r.created_at.toISOString(),
    }));
  }

  /**
   * Turns the tenant's two-factor requirement on or off. Whoever turns it on must use two-factor
   * sign-in already, so the switch cannot lock its own author out; members without it are
   * turned away at their next request (TenantAccessService), not signed out.
   */
  async setMfaPolicy(
    tenantId: string,
    requireMfa: boolean,
    actor: SessionUser,
    context: AuditContext,
  ): Promise<TenantDto> {
    if (requireMfa && !actor.mfaEnabled) {
      throw new DomainError(
        ErrorCode.Conflict,
        'Turn on two-factor sign-in for your own account first (Account security), then require it of the tenant, so the change cannot lock you out.',
      );
    }
    return this.db.transaction(async (tx) => {
      const before: TenantRow[] = await tx.query(
        `SELECT id, name, created_at, archived_at, require_mfa FROM tenants WHERE id = $1 FOR UPDATE`,
        [tenantId],
      );
      if (!before[0]) throw notFound('Tenant');
      if (before[0].require_mfa === requireMfa) return toDto(before[0]);
      const [rows]: [TenantRow[], number] = await tx.query(
        `UPDATE tenants SET require_mfa = $2 WHERE id = $1
         RETURNING id, name, created_at, archived_at, require_mfa`,
        [tenantId, requireMfa],
      );
      const without: Array<{ n: number }> = await tx.query(
        `SELECT count(*)::int AS n FROM memberships m
          WHERE m.tenant_id = $1
            AND NOT user_has_mfa(m.user_id)`,
        [tenantId],
      );
      await this.audit.record(
        {
          ...context,
          action: 'tenant.mfa_policy.changed',
          tenantId,
          target: { type: 'tenant', id: tenantId },
          metadata: { requireMfa, membersWithoutMfa: without[0]?.n ?? 0 },
        },
        tx,
      );
      return toDto(rows[0]!);
    });
  }
}
