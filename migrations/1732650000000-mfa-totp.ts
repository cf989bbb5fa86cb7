import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TOTP second factor (decision 0034): the shared secret sealed by the vault (registered in the
 * sealed-column registry), the last time step accepted (a code is never accepted twice), ten
 * single-use recovery codes stored as SHA-256 hashes, and pending sign-ins waiting for a code.
 */
export class MfaTotp1732650000000 implements MigrationInterface {
  name = 'MfaTotp1732650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_totp (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL,
        wrapped_key bytea NOT NULL,
        master_key_id text NOT NULL REFERENCES vault_master_keys(master_key_id),
        created_at timestamptz NOT NULL DEFAULT now(),
        enabled_at timestamptz,
        last_used_step bigint
      );
      CREATE TABLE mfa_recovery_codes (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        used_at timestamptz,
        PRIMARY KEY (user_id, code_hash)
      );
      CREATE TABLE mfa_challenges (
        id_hash bytea PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX mfa_challenges_user ON mfa_challenges (user_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mfa_challenges, mfa_recovery_codes, user_totp`);
  }
}
