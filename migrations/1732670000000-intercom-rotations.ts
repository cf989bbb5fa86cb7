import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automated rotation of a tenant's Intercom Messenger secret (issue 14, decision 0038): one row
 * per run, its state and a timestamp per state (the timeline), the versions it replaces as
 * `items`; at most one run per tenant is live at a time. The `autoRotate` setting. Rotation
 * events (started, rotated, failed) travel the reminders' notification paths (in-app, email,
 * webhook), so `rotation_notifications` learns three more kinds, numbered by the run.
 */
export class IntercomRotations1732670000000 implements MigrationInterface {
  name = 'IntercomRotations1732670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intercom_rotations (
        id uuid PRIMARY KEY,
        -- Numbers the run's notifications (their occurrence), so a second run of the same version records its own.
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        state text NOT NULL DEFAULT 'creating'
          CHECK (state IN ('creating', 'overlapping', 'deleting_old', 'done', 'failed')),
        trigger text NOT NULL CHECK (trigger IN ('manual', 'auto')),
        started_by uuid REFERENCES users(id) ON DELETE SET NULL,
        -- [{oldVersion, platforms, oldIntercomSecretId, name, newVersion, newIntercomSecretId, oldDeleted, removeByHand}]
        items jsonb NOT NULL,
        reason text CHECK (length(reason) <= 1000),
        -- Failed attempts of the current step in a row (429, 5xx, timeouts); reset by progress.
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_run_at timestamptz NOT NULL DEFAULT now(),
        -- Why the last attempt of the current step did not go through (status and Intercom's message).
        last_error text CHECK (length(last_error) <= 500),
        overlap_seconds integer NOT NULL CHECK (overlap_seconds > 0),
        overlap_ends_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        overlapping_at timestamptz,
        deleting_old_at timestamptz,
        finished_at timestamptz,
        finished_early boolean NOT NULL DEFAULT false,
        CHECK ((state IN ('done', 'failed')) = (finished_at IS NOT NULL)),
        CHECK ((state = 'failed') = (reason IS NOT NULL))
      );
      CREATE UNIQUE INDEX intercom_rotations_one_live ON intercom_rotations (tenant_id)
        WHERE state IN ('creating', 'overlapping', 'deleting_old');
      CREATE INDEX intercom_rotations_tenant_idx ON intercom_rotations (tenant_id, created_at DESC, id DESC);
      CREATE INDEX intercom_rotations_live_idx ON intercom_rotations (next_run_at)
        WHERE state IN ('creating', 'overlapping', 'deleting_old');

      ALTER TABLE intercom_settings ADD COLUMN auto_rotate boolean NOT NULL DEFAULT false;

      -- The two checks on stage were named by PostgreSQL; they go by what they check.
      DO $$
      DECLARE c record;
      BEGIN
        FOR c IN SELECT conname FROM pg_constraint
                  WHERE conrelid = 'rotation_notifications'::regclass AND contype = 'c'
                    AND pg_get_constraintdef(oid) LIKE '%stage%'
        LOOP
          EXECUTE format('ALTER TABLE rotation_notifications DROP CONSTRAINT %I', c.conname);
        END LOOP;
      END $$;
      ALTER TABLE rotation_notifications
        ADD COLUMN rotation_id uuid REFERENCES intercom_rotations(id) ON DELETE CASCADE,
        ADD CONSTRAINT rotation_notifications_stage_check
          CHECK (stage IN ('due_soon', 'due', 'overdue', 'rotation_started', 'rotated', 'rotation_failed')),
        ADD CONSTRAINT rotation_notifications_occurrence_check CHECK (
          occurrence >= 0
          AND (stage IN ('overdue', 'rotation_started', 'rotated', 'rotation_failed') OR occurrence = 0)
          AND ((rotation_id IS NOT NULL) = (stage IN ('rotation_started', 'rotated', 'rotation_failed')))
        );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM rotation_notifications WHERE rotation_id IS NOT NULL;
      ALTER TABLE rotation_notifications
        DROP CONSTRAINT rotation_notifications_occurrence_check,
        DROP CONSTRAINT rotation_notifications_stage_check,
        DROP COLUMN rotation_id,
        ADD CONSTRAINT rotation_notifications_stage_check CHECK (stage IN ('due_soon', 'due', 'overdue')),
        ADD CONSTRAINT rotation_notifications_occurrence_check
          CHECK (occurrence >= 0 AND (stage = 'overdue' OR occurrence = 0));
      ALTER TABLE intercom_settings DROP COLUMN auto_rotate;
      DROP TABLE intercom_rotations;
    `);
  }
}
