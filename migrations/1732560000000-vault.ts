import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The secret vault (issue 3) and the per-tenant Intercom settings it reads its rotation period
 * from. See docs/decisions/0005 (why a secret has its own id) and 0009 (version states).
 */
export class Vault1732560000000 implements MigrationInterface {
  name = 'Vault1732560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One row per master key id ever used: the start-up check compares the configured key with it.
      CREATE TABLE vault_master_keys (
        master_key_id text PRIMARY KEY,
        key_check text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- One per tenant: its Intercom Messenger secret. The id is bound into every version's AAD,
      -- and the row is the lock that hands out version numbers.
      CREATE TABLE vault_secrets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL UNIQUE REFERENCES tenants(id) ON DELETE CASCADE,
        last_version integer NOT NULL DEFAULT 0 CHECK (last_version >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (id, tenant_id)
      );

      CREATE TABLE secret_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        secret_id uuid NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        platforms text[] NOT NULL,
        state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'previous', 'retired')),
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL,
        wrapped_key bytea NOT NULL,
        master_key_id text NOT NULL REFERENCES vault_master_keys(master_key_id),
        fingerprint text NOT NULL,
        last4 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        retired_at timestamptz,
        UNIQUE (tenant_id, version),
        FOREIGN KEY (secret_id, tenant_id) REFERENCES vault_secrets(id, tenant_id) ON DELETE CASCADE,
        -- A non-empty subset of the three platforms, each at most once.
        CONSTRAINT secret_versions_platforms_check CHECK (
          platforms <@ ARRAY['web', 'ios', 'android']::text[]
          AND cardinality(platforms) >= 1
          AND cardinality(platforms) = (CASE WHEN 'web' = ANY(platforms) THEN 1 ELSE 0 END)
                                     + (CASE WHEN 'ios' = ANY(platforms) THEN 1 ELSE 0 END)
                                     + (CASE WHEN 'android' = ANY(platforms) THEN 1 ELSE 0 END)
        ),
        CONSTRAINT secret_versions_retired_at_check CHECK ((state = 'retired') = (retired_at IS NOT NULL))
      );
      CREATE INDEX secret_versions_master_key_idx ON secret_versions (master_key_id);
      CREATE INDEX secret_versions_active_idx ON secret_versions (tenant_id, version DESC) WHERE state = 'active';

      -- Issue 4 builds the setup API on this table; a missing row means every default below.
      CREATE TABLE intercom_settings (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        app_id text,
        region text NOT NULL DEFAULT 'us' CHECK (region IN ('us', 'eu', 'au')),
        identity_mode text NOT NULL DEFAULT 'jwt' CHECK (identity_mode IN ('jwt', 'hmac')),
        token_ttl_seconds integer NOT NULL DEFAULT 3600 CHECK (token_ttl_seconds BETWEEN 60 AND 86400),
        rotation_period_days integer NOT NULL DEFAULT 90 CHECK (rotation_period_days BETWEEN 1 AND 365),
        reminder_lead_days integer NOT NULL DEFAULT 14 CHECK (reminder_lead_days BETWEEN 1 AND 60),
        settings_saved_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT intercom_settings_lead_check CHECK (reminder_lead_days < rotation_period_days)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intercom_settings, secret_versions, vault_secrets, vault_master_keys`);
  }
}
