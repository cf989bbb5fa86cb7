import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tenant's connection to its Intercom workspace: the access token, sealed by the vault like a
 * Messenger secret (registered in the sealed-column registry), and what `GET /me` said of the
 * workspace when it was connected, shown as evidence from Intercom itself.
 */
export class IntercomConnection1732640000000 implements MigrationInterface {
  name = 'IntercomConnection1732640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intercom_connections (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL UNIQUE REFERENCES tenants(id) ON DELETE CASCADE,
        app_id text NOT NULL CHECK (length(app_id) BETWEEN 1 AND 64),
        region text NOT NULL CHECK (region IN ('us', 'eu', 'au')),
        workspace_name text NOT NULL CHECK (length(workspace_name) <= 512),
        identity_verification boolean NOT NULL,
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL,
        wrapped_key bytea NOT NULL,
        master_key_id text NOT NULL REFERENCES vault_master_keys(master_key_id),
        connected_at timestamptz NOT NULL DEFAULT now(),
        connected_by uuid REFERENCES users(id) ON DELETE SET NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intercom_connections`);
  }
}
