import { MigrationInterface, QueryRunner } from 'typeorm';

/** Token issuance (issue 4): API keys, per-platform evidence, rate windows, identity providers. */
export class Tokens1732580000000 implements MigrationInterface {
  name = 'Tokens1732580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        prefix text NOT NULL UNIQUE,
        key_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at DESC);

      -- Tokens issued per tenant, platform and hour: flushed from memory every few seconds.
      CREATE TABLE token_usage (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        platform text NOT NULL CHECK (platform IN ('web', 'ios', 'android')),
        hour timestamptz NOT NULL,
        count bigint NOT NULL DEFAULT 0,
        last_token_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, platform, hour)
      );

      -- The per-key budget every replica shares: one row per key and minute.
      CREATE TABLE api_key_rate_windows (
        api_key_id uuid NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        window_start timestamptz NOT NULL,
        count integer NOT NULL DEFAULT 0,
        PRIMARY KEY (api_key_id, window_start)
      );

      CREATE TABLE platform_security (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        platform text NOT NULL CHECK (platform IN ('web', 'ios', 'android')),
        security_enabled boolean NOT NULL,
        enabled_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        PRIMARY KEY (tenant_id, platform)
      );

      CREATE TABLE identity_providers (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        issuer text NOT NULL,
        jwks_url text NOT NULL,
        audience text NOT NULL,
        user_id_claim text NOT NULL DEFAULT 'sub',
        email_claim text,
        allowed_origins text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- Step 5 is done once the chosen mode has been used for a token (issued or tested).
      ALTER TABLE intercom_settings
        ADD COLUMN identity_mode_set_at timestamptz,
        ADD COLUMN identity_mode_used_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE intercom_settings DROP COLUMN identity_mode_set_at, DROP COLUMN identity_mode_used_at;
      DROP TABLE identity_providers, platform_security, api_key_rate_windows, token_usage, api_keys;
    `);
  }
}
