import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a verify of the audit chain got to, so the next one can start there
 * (docs/decisions/0037): the last verified event, its hash as it was then, and how many events
 * the chain held up to it. Not part of the chain and not append-only: losing a checkpoint only
 * means the next verify walks from the start.
 */
export class AuditCheckpoints1732653700000 implements MigrationInterface {
  name = 'AuditCheckpoints1732653700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_verify_checkpoints (
        seq bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        events bigint NOT NULL CHECK (events >= 1),
        verified_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_verify_checkpoints`);
  }
}
