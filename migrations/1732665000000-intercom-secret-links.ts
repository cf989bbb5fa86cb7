import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Links a stored secret version to the Intercom secret it is (issue 14): Intercom never returns a
 * secret's value after creation, so a version pasted by hand is linked by the admin, and versions
 * that automated rotations create are linked by themselves. A rotation deletes in Intercom only
 * the secret linked to the version it replaces. One Intercom secret is linked to at most one
 * version of a tenant.
 */
export class IntercomSecretLinks1732665000000 implements MigrationInterface {
  name = 'IntercomSecretLinks1732665000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE secret_versions
        ADD COLUMN intercom_secret_id text CHECK (length(intercom_secret_id) BETWEEN 1 AND 128);
      CREATE UNIQUE INDEX secret_versions_intercom_secret_uq
        ON secret_versions (tenant_id, intercom_secret_id) WHERE intercom_secret_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX secret_versions_intercom_secret_uq;
      ALTER TABLE secret_versions DROP COLUMN intercom_secret_id;
    `);
  }
}
