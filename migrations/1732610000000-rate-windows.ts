import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shared rate limit counts buckets, not only API keys: the exchange endpoint is limited per
 * tenant too. Counts are per minute and short-lived, so the old table is dropped, not copied.
 */
export class RateWindows1732610000000 implements MigrationInterface {
  name = 'RateWindows1732610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_windows (
        bucket text NOT NULL,
        window_start timestamptz NOT NULL,
        count integer NOT NULL DEFAULT 0,
        PRIMARY KEY (bucket, window_start)
      );
      DROP TABLE api_key_rate_windows;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_key_rate_windows (
        api_key_id uuid NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        window_start timestamptz NOT NULL,
        count integer NOT NULL DEFAULT 0,
        PRIMARY KEY (api_key_id, window_start)
      );
      DROP TABLE rate_windows;
    `);
  }
}
