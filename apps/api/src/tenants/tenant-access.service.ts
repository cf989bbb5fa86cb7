import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, notFound } from '../common/errors';
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
    const rows: Array<{ require_mfa: boolean }> = user.isStaff
      ? await this.db.query(`SELECT false AS require_mfa FROM tenants WHERE id = $1`, [tenantId])
      : await this.db.query(
          `SELECT t.require_mfa FROM memberships m JOIN tenants t ON t.id = m.tenant_id
            WHERE m.tenant_id = $1 AND m.user_id = $2 AND t.archived_at IS NULL`,
          [tenantId, user.id],
        );
    if (rows.length === 0) throw notFound('Tenant');
    // Only a member learns that the tenant requires it: everyone else already got the 404 above.
    if (rows[0]!.require_mfa && !user.mfaEnabled) {
      throw new DomainError(
        ErrorCode.TenantRequiresMfa,
        'This tenant requires two-factor sign-in of its admins. Turn it on under Account security, then open the tenant again.',
      );
    }
  }
}
