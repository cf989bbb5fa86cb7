import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (issue 5): append-only and hash-chained (docs/decisions/0008). No foreign
 * keys on purpose: events must outlive the tenants and users they name.
 */
export class Audit1732590000000 implements MigrationInterface {
  name = 'Audit1732590000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        seq bigint NOT NULL CHECK (seq > 0),
        occurred_at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'staff', 'api_key', 'system')),
        actor_user_id uuid,
        actor_email text,
        tenant_id uuid,
        action text NOT NULL,
        target_type text,
        target_id text,
        metadata jsonb NOT NULL DEFAULT '{}',
        ip text,
        user_agent text,
        request_id text,
        prev_hash text,
        hash text NOT NULL,
        -- A second writer that somehow computed the same position fails here instead of forking.
        CONSTRAINT audit_events_seq_key UNIQUE (seq),
        CONSTRAINT audit_events_first_has_no_prev CHECK ((seq = 1) = (prev_hash IS NULL))
      );
      CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_id, seq DESC);
      CREATE INDEX audit_events_action_idx ON audit_events (action, seq DESC);
      CREATE INDEX audit_events_actor_user_idx ON audit_events (actor_user_id, seq DESC);
      CREATE INDEX audit_events_actor_email_idx ON audit_events (actor_email, seq DESC);
      CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at);

      CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$;
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events; DROP FUNCTION audit_events_refuse_change()`);
  }
}
