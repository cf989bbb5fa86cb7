import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../common/errors';
import type { SessionUser } from '../auth/current-user';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class TenantAccessService {
  constructor(private readonly db: DataSource) {}

  /**
   * Staff reach every tenant; a member reaches their own live tenants. Everyone else gets the
   * same 404 as for a tenant that does not exist, so tenant ids can't be probed.
   */
  async assertCanAccess(user: SessionUser, tenantId: string): Promise<void> {
    if (!UUID.test(tenantId)) throw notFound('Tenant');
    const rows: unknown[] = user.isStaff
      ? await this.db.query(`SELECT 1 FROM tenants WHERE id = $1`, [tenantId])
      : await this.db.query(
          `SELECT 1 FROM memberships m JOIN tenants t ON t.id = m.tenant_id
            WHERE m.tenant_id = $1 AND m.user_id = $2 AND t.archived_at IS NULL`,
          [tenantId, user.id],
        );
    if (rows.length === 0) throw notFound('Tenant');
  }
}
