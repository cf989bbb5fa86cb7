import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scale of the staff overview and the usage chart (issue 16, docs/decisions/0046):
 * - `token_usage_latest`: each tenant's last token per platform, kept by a trigger on
 *   token_usage, so the overview sorts and filters 100,000 tenants by it without reading every
 *   hourly row ever written (2,000,000 in bench:scale);
 * - `token_usage_hour_idx`: the last 24 hours (overview) and the last N days (chart) across
 *   tenants are a range of this index, read without touching the table.
 * - `tenants_name_idx`: the default order (name) of the overview.
 */
export class OverviewScale1732685000000 implements MigrationInterface {
  name = 'OverviewScale1732685000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE token_usage_latest (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        platform text NOT NULL CHECK (platform IN ('web', 'ios', 'android')),
        last_token_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, platform)
      );
      INSERT INTO token_usage_latest (tenant_id, platform, last_token_at)
        SELECT tenant_id, platform, max(last_token_at) FROM token_usage GROUP BY tenant_id, platform;

      CREATE FUNCTION token_usage_latest_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO token_usage_latest AS l (tenant_id, platform, last_token_at)
          SELECT tenant_id, platform, max(last_token_at) FROM changed GROUP BY tenant_id, platform
        ON CONFLICT (tenant_id, platform) DO UPDATE
          SET last_token_at = greatest(l.last_token_at, EXCLUDED.last_token_at);
        RETURN NULL;
      END $$;
      -- Once per statement (the usage flush writes a batch in one), not once per row.
      CREATE TRIGGER token_usage_latest_ins AFTER INSERT ON token_usage
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION token_usage_latest_keep();
      CREATE TRIGGER token_usage_latest_upd AFTER UPDATE ON token_usage
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION token_usage_latest_keep();

      CREATE INDEX token_usage_hour_idx ON token_usage (hour) INCLUDE (platform, count, tenant_id);
      CREATE INDEX tenants_name_idx ON tenants (lower(name), id) WHERE archived_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX tenants_name_idx;
      DROP INDEX token_usage_hour_idx;
      DROP TRIGGER token_usage_latest_upd ON token_usage;
      DROP TRIGGER token_usage_latest_ins ON token_usage;
      DROP FUNCTION token_usage_latest_keep();
      DROP TABLE token_usage_latest;
    `);
  }
}
