import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Connect with Intercom" (OAuth) and broken connections (issue 14, decision 0040).
 *
 * intercom_oauth_states: one row per started OAuth flow. Only the SHA-256 of the `state` sent to
 * Intercom is stored, bound to the session that started it (a session that ends takes its
 * pending flows with it) and to the tenant; the callback deletes the row as it reads it, so a
 * state works once, and only before it expires.
 *
 * intercom_connections.broken_at/broken_reason: Intercom answered 401 to the stored token on a
 * later call (revoked, app uninstalled). Connecting again clears them.
 */
export class IntercomOauth1732675000000 implements MigrationInterface {
  name = 'IntercomOauth1732675000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intercom_oauth_states (
        state_hash bytea PRIMARY KEY CHECK (length(state_hash) = 32),
        session_hash bytea NOT NULL REFERENCES sessions(id_hash) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        region text NOT NULL CHECK (region IN ('us', 'eu', 'au')),
        redirect_uri text NOT NULL CHECK (length(redirect_uri) BETWEEN 1 AND 2048),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX intercom_oauth_states_expiry_idx ON intercom_oauth_states (expires_at);

      ALTER TABLE intercom_connections
        ADD COLUMN connected_via text NOT NULL DEFAULT 'token' CHECK (connected_via IN ('token', 'oauth')),
        ADD COLUMN broken_at timestamptz,
        ADD COLUMN broken_reason text CHECK (length(broken_reason) BETWEEN 1 AND 500),
        ADD CONSTRAINT intercom_connections_broken_ck CHECK ((broken_at IS NULL) = (broken_reason IS NULL));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE intercom_connections
        DROP CONSTRAINT intercom_connections_broken_ck,
        DROP COLUMN broken_reason,
        DROP COLUMN broken_at,
        DROP COLUMN connected_via;
      DROP TABLE intercom_oauth_states;
    `);
  }
}
