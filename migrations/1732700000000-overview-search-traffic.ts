import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The staff overview's search and its tokensLast24h order at 100,000 tenants (issue 16,
 * docs/decisions/0056).
 *
 * Search: `q` is a case-insensitive substring of the name or the APP_ID (the API's documented
 * behaviour), so a btree cannot serve it; trigram GIN indexes (pg_trgm, a trusted contrib
 * extension shipped with PostgreSQL and the embedded one) turn `LIKE '%acme%'` into an index scan.
 * Searching is now case-insensitive for the APP_ID too, as documented.
 *
 * Traffic: `tenant_overview` keeps each tenant's tokens of the last 24 hours per platform (the
 * setup page's window: the current hour and the 23 before it) and their sum, so the order walks
 * an index instead of aggregating the day's usage rows per request.
 * - The usage flush's statement trigger recomputes the sums of the tenants in the batch (three
 *   primary key ranges each), in the same UPDATE that moves their last-token times.
 * - An hour leaving the window lowers sums without any write: `tenant_overview_roll_traffic()`
 *   recomputes the rows with traffic whose sums were computed in an earlier hour. The usage
 *   counter calls it on its first flush tick of each hour (every API process; idempotent).
 *   `traffic_hour` is the hour a row's sums were computed in.
 */
export class OverviewSearchTraffic1732700000000 implements MigrationInterface {
  name = 'OverviewSearchTraffic1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      -- One index over both (a BitmapOr of two cost more than the planner would pay for), in the
      -- exact form the query's filter writes (apps/api/src/staff/overview-query.ts). No pending
      -- list: every usage flush rewrites its tenants' rows, and a search would scan up to 4 MB of
      -- pending entries; inserting directly costs the flush ~0.1 ms a row instead.
      CREATE INDEX tenant_overview_search_idx ON tenant_overview
        USING gin ((name_key || E'\n' || lower(coalesce(app_id, ''))) gin_trgm_ops) WITH (fastupdate = off);

      ALTER TABLE tenant_overview
        ADD COLUMN web_24h bigint NOT NULL DEFAULT 0,
        ADD COLUMN ios_24h bigint NOT NULL DEFAULT 0,
        ADD COLUMN android_24h bigint NOT NULL DEFAULT 0,
        ADD COLUMN tokens_24h bigint GENERATED ALWAYS AS (web_24h + ios_24h + android_24h) STORED,
        ADD COLUMN traffic_hour timestamptz;

      -- The tokens of the setup page's window (hour > this hour - 24 h) per platform, for these
      -- tenants, as of now: one primary key range per platform and tenant.
      CREATE FUNCTION tenant_overview_traffic(ids uuid[]) RETURNS void LANGUAGE sql AS $$
        UPDATE tenant_overview o
           SET web_24h = d.web, ios_24h = d.ios, android_24h = d.android, traffic_hour = date_trunc('hour', now())
          FROM (SELECT i.id,
                       (SELECT coalesce(sum(count), 0) FROM token_usage WHERE tenant_id = i.id AND platform = 'web'
                           AND hour > date_trunc('hour', now()) - interval '24 hours') AS web,
                       (SELECT coalesce(sum(count), 0) FROM token_usage WHERE tenant_id = i.id AND platform = 'ios'
                           AND hour > date_trunc('hour', now()) - interval '24 hours') AS ios,
                       (SELECT coalesce(sum(count), 0) FROM token_usage WHERE tenant_id = i.id AND platform = 'android'
                           AND hour > date_trunc('hour', now()) - interval '24 hours') AS android
                  FROM (SELECT DISTINCT unnest(ids) AS id) i) d
         WHERE o.tenant_id = d.id
      $$;

      -- The rows whose window lost an hour since their sums were computed (only rows with traffic
      -- can change), locked in tenant order like the flush's; returns the hour it brought them to.
      CREATE FUNCTION tenant_overview_roll_traffic() RETURNS timestamptz LANGUAGE plpgsql AS $$
      DECLARE
        stale uuid[];
      BEGIN
        SELECT array_agg(tenant_id) INTO stale FROM (
          SELECT tenant_id FROM tenant_overview
           WHERE tokens_24h > 0 AND traffic_hour < date_trunc('hour', now())
           ORDER BY tenant_id FOR UPDATE) s;
        IF stale IS NOT NULL THEN
          PERFORM tenant_overview_traffic(stale);
        END IF;
        RETURN date_trunc('hour', now());
      END $$;

      CREATE OR REPLACE FUNCTION tenant_overview_usage() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ids uuid[];
      BEGIN
        -- Rows locked in one order, so two replicas' flushes never wait on each other in a cycle.
        SELECT array_agg(tenant_id) INTO ids FROM (
          SELECT tenant_id FROM tenant_overview WHERE tenant_id IN (SELECT tenant_id FROM changed)
           ORDER BY tenant_id FOR UPDATE) s;
        UPDATE tenant_overview o
           SET web_last = greatest(o.web_last, c.web), ios_last = greatest(o.ios_last, c.ios),
               android_last = greatest(o.android_last, c.android),
               last_token_at = greatest(o.last_token_at, c.web, c.ios, c.android)
          FROM (SELECT tenant_id,
                       max(last_token_at) FILTER (WHERE platform = 'web') AS web,
                       max(last_token_at) FILTER (WHERE platform = 'ios') AS ios,
                       max(last_token_at) FILTER (WHERE platform = 'android') AS android
                  FROM changed GROUP BY tenant_id) c
         WHERE o.tenant_id = c.tenant_id;
        IF ids IS NOT NULL THEN
          PERFORM tenant_overview_traffic(ids);
        END IF;
        RETURN NULL;
      END $$;

      SELECT tenant_overview_traffic(coalesce(array_agg(DISTINCT tenant_id), '{}')) FROM token_usage
       WHERE hour > date_trunc('hour', now()) - interval '24 hours';

      -- The tokensLast24h order (and the roll's "rows with traffic"), keyset by tenant id.
      CREATE INDEX tenant_overview_traffic_idx ON tenant_overview (tokens_24h, tenant_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX tenant_overview_traffic_idx;
      CREATE OR REPLACE FUNCTION tenant_overview_usage() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM tenant_overview WHERE tenant_id IN (SELECT tenant_id FROM changed) ORDER BY tenant_id FOR UPDATE;
        UPDATE tenant_overview o
           SET web_last = greatest(o.web_last, c.web), ios_last = greatest(o.ios_last, c.ios),
               android_last = greatest(o.android_last, c.android),
               last_token_at = greatest(o.last_token_at, c.web, c.ios, c.android)
          FROM (SELECT tenant_id,
                       max(last_token_at) FILTER (WHERE platform = 'web') AS web,
                       max(last_token_at) FILTER (WHERE platform = 'ios') AS ios,
                       max(last_token_at) FILTER (WHERE platform = 'android') AS android
                  FROM changed GROUP BY tenant_id) c
         WHERE o.tenant_id = c.tenant_id;
        RETURN NULL;
      END $$;
      DROP FUNCTION tenant_overview_roll_traffic();
      DROP FUNCTION tenant_overview_traffic(uuid[]);
      ALTER TABLE tenant_overview DROP COLUMN tokens_24h, DROP COLUMN web_24h, DROP COLUMN ios_24h,
        DROP COLUMN android_24h, DROP COLUMN traffic_hour;
      DROP INDEX tenant_overview_search_idx;
    `);
  }
}
