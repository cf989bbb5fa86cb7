import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passkeys (WebAuthn) as a second factor or instead of TOTP (decision 0052), and step-up
 * (decision 0053). `user_has_mfa` is the one definition of "this account has two-factor sign-in"
 * (TOTP on, or at least one passkey), used by the session lookup, the tenant policy and sign-in.
 * Challenges are stored server-side, single use (deleted when checked), with a short expiry.
 * `sessions.mfa_at` is when the session last proved a second factor (sign-in or step-up).
 */
export class Passkeys1732697000000 implements MigrationInterface {
  name = 'Passkeys1732697000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_passkeys (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        credential_id text NOT NULL UNIQUE,
        public_key bytea NOT NULL,
        counter bigint NOT NULL DEFAULT 0,
        transports text[] NOT NULL DEFAULT '{}',
        name text NOT NULL,
        aaguid text,
        backed_up boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      );
      CREATE INDEX user_passkeys_user ON user_passkeys (user_id);

      CREATE TABLE webauthn_challenges (
        challenge text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('register', 'sign_in', 'step_up')),
        -- What the ceremony is bound to: the session (register, step-up) or the pending sign-in.
        bound_to bytea NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX webauthn_challenges_user ON webauthn_challenges (user_id);

      ALTER TABLE sessions ADD COLUMN mfa_at timestamptz;

      CREATE FUNCTION user_has_mfa(uid uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = uid AND t.enabled_at IS NOT NULL)
            OR EXISTS (SELECT 1 FROM user_passkeys p WHERE p.user_id = uid)
      $$;

      -- Adding or removing a passkey ends the account's other sessions whatever code path did it
      -- (decision 0013's rule, as for TOTP); mv.keep_session names the one session that stays.
      CREATE FUNCTION end_sessions_on_passkey_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        keep bytea := decode(nullif(current_setting('mv.keep_session', true), ''), 'hex');
        uid uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END;
      BEGIN
        DELETE FROM sessions WHERE user_id = uid AND (keep IS NULL OR id_hash <> keep);
        DELETE FROM mfa_challenges WHERE user_id = uid;
        RETURN NULL;
      END $$;
      CREATE TRIGGER user_passkeys_added_end_sessions AFTER INSERT ON user_passkeys
        FOR EACH ROW EXECUTE FUNCTION end_sessions_on_passkey_change();
      CREATE TRIGGER user_passkeys_removed_end_sessions AFTER DELETE ON user_passkeys
        FOR EACH ROW EXECUTE FUNCTION end_sessions_on_passkey_change();
      CREATE TRIGGER user_passkeys_moved_end_sessions AFTER UPDATE ON user_passkeys
        FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.public_key IS DISTINCT FROM NEW.public_key)
        EXECUTE FUNCTION end_sessions_on_passkey_change();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE webauthn_challenges, user_passkeys;
      DROP FUNCTION end_sessions_on_passkey_change();
      DROP FUNCTION user_has_mfa(uuid);
      ALTER TABLE sessions DROP COLUMN mfa_at;
    `);
  }
}
