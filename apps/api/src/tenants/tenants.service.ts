import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page } from '@messenger-vault/contracts';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { notFound } from '../common/errors';
import type { SessionUser } from '../auth/current-user';
import { TenantDto, UpdateTenantDto } from './dto/tenant.dto';

interface TenantRow {
  id: string;
  name: string;
  created_at: Date;
  archived_at: Date | null;
}

const toDto = (r: TenantRow): TenantDto => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  archivedAt: r.archived_at?.toISOString() ?? null,
});

@Injectable()
export class TenantsService {
  constructor(private readonly db: DataSource) {}

  async create(name: string, actor: SessionUser): Promise<TenantDto> {
    const rows: TenantRow[] = await this.db.query(
      `INSERT INTO tenants (name, created_by) VALUES ($1, $2) RETURNING id, name, created_at, archived_at`,
      [name, actor.id],
    );
    return toDto(rows[0]!);
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
      `SELECT t.id, t.name, t.created_at, t.archived_at FROM tenants t
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.created_at DESC, t.id DESC LIMIT $1`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDto),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.created_at.toISOString(), id: last.id }) : null,
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

  async update(tenantId: string, change: UpdateTenantDto): Promise<TenantDto> {
    // TypeORM answers UPDATE ... RETURNING as [rows, affectedCount].
    const [rows]: [TenantRow[], number] = await this.db.query(
      `UPDATE tenants SET
         name = coalesce($2::text, name),
         archived_at = CASE WHEN $3::boolean IS NULL THEN archived_at
                            WHEN $3::boolean THEN coalesce(archived_at, now()) ELSE NULL END
       WHERE id = $1 RETURNING id, name, created_at, archived_at`,
      [tenantId, change.name ?? null, change.archived ?? null],
    );
    if (!rows[0]) throw notFound('Tenant');
    return toDto(rows[0]);
  }
}
