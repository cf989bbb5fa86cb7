import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15 items 5, 7 and 8: the allow-list of signed custom attributes and the Messenger's
 * session_duration (decision 0043), the platforms a tenant ships (step 3 is done when each is
 * protected; NULL: not declared yet), and the opt-in for user ids that are email addresses.
 */
export class TokenPolicy1732680000000 implements MigrationInterface {
  name = 'TokenPolicy1732680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE intercom_settings
        ADD COLUMN custom_attributes jsonb NOT NULL DEFAULT '[]'
          CHECK (jsonb_typeof(custom_attributes) = 'array' AND jsonb_array_length(custom_attributes) <= 25),
        ADD COLUMN session_duration_seconds integer CHECK (session_duration_seconds BETWEEN 300 AND 604800),
        ADD COLUMN declared_platforms text[]
          CHECK (cardinality(declared_platforms) >= 1 AND declared_platforms <@ ARRAY['web', 'ios', 'android']),
        ADD COLUMN allow_email_user_ids boolean NOT NULL DEFAULT false;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE intercom_settings
        DROP COLUMN custom_attributes, DROP COLUMN session_duration_seconds,
        DROP COLUMN declared_platforms, DROP COLUMN allow_email_user_ids;
    `);
  }
}
