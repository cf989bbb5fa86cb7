import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeBus } from '../core/change-bus.service';
import { TENANT_CONFIG_TOPIC } from '../tokens/tenant-token-config.service';
import type { Page } from '@messenger-vault/contracts';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { cursorTimestamp, decodeCursor, encodeCursor } from '../common/cursor';
import { notFound } from '../common/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
import type { SessionUser } from '../auth/current-user';
import { TenantDto, UpdateTenantDto } from './dto/tenant.dto';

interface TenantRow {
  id: string;
  name: string;
  created_at: Date;
  archived_at: Date | null;
  cursor_at?: string;
}

const toDto = (r: TenantRow): TenantDto => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  archivedAt: r.archived_at?.toISOString() ?? null,
});

@Injectable()
export class TenantsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly bus: ChangeBus,
  ) {}

  async create(name: string, actor: SessionUser, context: AuditContext): Promise<TenantDto> {
    return this.db.transaction(async (tx) => {
      const rows: TenantRow[] = await tx.query(
        `INSERT INTO tenants (name, created_by) VALUES ($1, $2) RETURNING id, name, created_at, archived_at`,
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
      `SELECT t.id, t.name, t.created_at, t.archived_at, ${cursorTimestamp('t.created_at')} AS cursor_at FROM tenants t
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
      `SELECT id, name, created_at, archived_at FROM tenants WHERE id = $1`,
      [tenantId],
    );
    if (!rows[0]) throw notFound('Tenant');
    return toDto(rows[0]);
  }

  /** Renames, archives or restores; an audit event records what actually changed, if anything did. */
  async update(tenantId: string, change: UpdateTenantDto, context: AuditContext): Promise<TenantDto> {
    return this.db.transaction(async (tx) => {
      const before: TenantRow[] = await tx.query(
        `SELECT id, name, created_at, archived_at FROM tenants WHERE id = $1 FOR UPDATE`,
        [tenantId],
      );
      if (!before[0]) throw notFound('Tenant');
      // TypeORM answers UPDATE ... RETURNING as [rows, affectedCount].
      const [rows]: [TenantRow[], number] = await tx.query(
        `UPDATE tenants SET
           name = coalesce($2::text, name),
           archived_at = CASE WHEN $3::boolean IS NULL THEN archived_at
                              WHEN $3::boolean THEN coalesce(archived_at, now()) ELSE NULL END
         WHERE id = $1 RETURNING id, name, created_at, archived_at`,
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
        await this.bus.publish(TENANT_CONFIG_TOPIC, tenantId, tx);
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
}
