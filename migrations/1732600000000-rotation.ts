import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rotation reminders (issue 5): notifications, the outbox that delivers them by email and
 * webhook, every delivery attempt, and each tenant's webhook. See
 * docs/decisions/0009-rotation-reminders.md.
 */
export class Rotation1732600000000 implements MigrationInterface {
  name = 'Rotation1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One per tenant. The signing secret is sealed by the vault like a Messenger secret, bound to
      -- (tenant id, 'webhook:<id>', 1); a new PUT makes a new id, so an old sealed row never opens as the new one.
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL UNIQUE REFERENCES tenants(id) ON DELETE CASCADE,
        url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL,
        wrapped_key bytea NOT NULL,
        master_key_id text NOT NULL REFERENCES vault_master_keys(master_key_id),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL
      );

      -- The in-app notification, and the unit every channel delivers. The unique key is what makes
      -- a reminder single however many replicas run the job at once.
      CREATE TABLE rotation_notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        secret_version_id uuid NOT NULL REFERENCES secret_versions(id) ON DELETE CASCADE,
        secret_version integer NOT NULL,
        stage text NOT NULL CHECK (stage IN ('due_soon', 'due', 'overdue')),
        -- Overdue repeats weekly: the number of whole weeks since the due date. 0 for the other stages.
        occurrence integer NOT NULL CHECK (occurrence >= 0 AND (stage = 'overdue' OR occurrence = 0)),
        rotation_due_at timestamptz NOT NULL,
        -- Milliseconds, as JavaScript dates have: list cursors carry it and must compare exactly.
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        read_at timestamptz,
        CONSTRAINT rotation_notifications_once UNIQUE (secret_version_id, stage, occurrence)
      );
      CREATE INDEX rotation_notifications_list_idx ON rotation_notifications (tenant_id, created_at DESC, id DESC);
      CREATE INDEX rotation_notifications_unread_idx ON rotation_notifications (tenant_id) WHERE read_at IS NULL;

      -- The outbox: one row per notification and channel, claimed with FOR UPDATE SKIP LOCKED.
      CREATE TABLE notification_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id uuid NOT NULL REFERENCES rotation_notifications(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (notification_id, channel),
        CHECK ((state = 'pending') = (finished_at IS NULL))
      );
      CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at) WHERE state = 'pending';

      -- Every attempt, kept for support: when, how it ended, the status code or a short error. Never a
      -- secret, a signature, a request body or a receiver's answer.
      CREATE TABLE notification_delivery_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        outbox_id uuid NOT NULL REFERENCES notification_outbox(id) ON DELETE CASCADE,
        attempt integer NOT NULL CHECK (attempt >= 1),
        channel text NOT NULL,
        attempted_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'timeout', 'cancelled')),
        status_code integer,
        error text CHECK (length(error) <= 500),
        duration_ms integer NOT NULL,
        UNIQUE (outbox_id, attempt)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE notification_delivery_attempts, notification_outbox, rotation_notifications, webhook_endpoints`,
    );
  }
}
