import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff single sign-on (decision 0048) and sessions people can see (decision 0049).
 * - `sessions.id`: a public handle for a session, so the list and "sign out" can name one without
 *   the cookie's hash ever leaving the server; `auth_method` and the identity provider's subject and
 *   session id, so a back-channel logout finds the sessions it ends.
 * - `user_identities`: which subject at which issuer an account is; one per issuer and account.
 * - `oidc_login_states`: the short-lived record behind one "Sign in with SSO" (state, nonce, PKCE
 *   verifier), found only by the hash of the random value in the browser's cookie.
 * - `oidc_logout_tokens`: a logout token's jti is accepted once.
 */
export class OidcSessions1732690000000 implements MigrationInterface {
  name = 'OidcSessions1732690000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sessions
        ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
        ADD COLUMN auth_method text NOT NULL DEFAULT 'password' CHECK (auth_method IN ('password', 'oidc')),
        ADD COLUMN oidc_issuer text,
        ADD COLUMN oidc_subject text,
        ADD COLUMN oidc_sid text;
      CREATE UNIQUE INDEX sessions_public_id ON sessions (id);
      CREATE INDEX sessions_oidc_subject ON sessions (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

      CREATE TABLE user_identities (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        issuer text NOT NULL,
        subject text NOT NULL,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, subject),
        UNIQUE (user_id, issuer)
      );

      CREATE TABLE oidc_login_states (
        id_hash bytea PRIMARY KEY,
        state text NOT NULL,
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX oidc_login_states_expiry ON oidc_login_states (expires_at);

      CREATE TABLE oidc_logout_tokens (
        issuer text NOT NULL,
        jti text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (issuer, jti)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE oidc_logout_tokens, oidc_login_states, user_identities;
      DROP INDEX sessions_oidc_subject;
      DROP INDEX sessions_public_id;
      ALTER TABLE sessions DROP COLUMN oidc_sid, DROP COLUMN oidc_subject, DROP COLUMN oidc_issuer,
        DROP COLUMN auth_method, DROP COLUMN id;
    `);
  }
}
