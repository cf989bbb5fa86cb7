import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TOTP second factor (decision 0034): the shared secret sealed by the vault (registered in the
 * sealed-column registry), the last time step accepted (a code is never accepted twice), ten
 * single-use recovery codes stored as SHA-256 hashes, and pending sign-ins waiting for a code.
 */
export class MfaTotp1732660000000 implements MigrationInterface {
  name = 'MfaTotp1732660000000';

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

      -- Turning TOTP on or off ends the account's sessions whatever code path did it (decision
      -- 0013's rule); the one session that just proved both factors may be named, per
      -- transaction, in mv.keep_session (hex of its id hash) and stays.
      CREATE FUNCTION end_sessions_on_mfa_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        keep bytea := decode(nullif(current_setting('mv.keep_session', true), ''), 'hex');
      BEGIN
        DELETE FROM sessions WHERE user_id = OLD.user_id AND (keep IS NULL OR id_hash <> keep);
        DELETE FROM mfa_challenges WHERE user_id = OLD.user_id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER user_totp_enabled_end_sessions AFTER UPDATE ON user_totp
        FOR EACH ROW WHEN (OLD.enabled_at IS DISTINCT FROM NEW.enabled_at OR OLD.user_id IS DISTINCT FROM NEW.user_id)
        EXECUTE FUNCTION end_sessions_on_mfa_change();
      CREATE TRIGGER user_totp_removed_end_sessions AFTER DELETE ON user_totp
        FOR EACH ROW WHEN (OLD.enabled_at IS NOT NULL)
        EXECUTE FUNCTION end_sessions_on_mfa_change();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE mfa_challenges, mfa_recovery_codes, user_totp;
      DROP FUNCTION end_sessions_on_mfa_change();
    `);
  }
}
