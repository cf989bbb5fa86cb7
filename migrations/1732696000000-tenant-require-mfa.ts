import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tenant may require two-factor sign-in of its admins (issue 17): while it is on, a member
 * without TOTP reaches none of the tenant's routes until they turn it on. Staff are governed by
 * REQUIRE_STAFF_MFA instead.
 */
export class TenantRequireMfa1732696000000 implements MigrationInterface {
  name = 'TenantRequireMfa1732696000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN require_mfa boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants DROP COLUMN require_mfa`);
  }
}
