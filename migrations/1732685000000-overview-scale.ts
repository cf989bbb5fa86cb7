import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scale of the staff overview and the usage chart (issue 16, docs/decisions/0046).
 *
 * `tenant_overview`: one row per tenant with every fact the overview filters and sorts by that
 * does not depend on the clock, kept by triggers on the tables they come from. Computing them
 * per request from secret_versions, platform_security and 2,000,000 token_usage rows took
 * seconds at 100,000 tenants; this table is read in one scan (or an index walk) instead. What
 * depends on the clock (rotation stage, last 24 hours of traffic) is still computed per request
 * from these columns.
 * - Changes by people (tenants, settings, secret versions, platform security) and a broken or
 *   replaced Intercom connection refresh the tenant's whole row (`tenant_overview_refresh`), row
 *   by row: they are rare.
 * - The usage flush writes token_usage in one statement per batch; a statement-level trigger
 *   moves each tenant's last token time forward, once per batch, off the token endpoint's path.
 *
 * `token_usage_daily`: tokens per UTC day and platform across tenants, for the usage chart.
 *
 * `token_usage_hour_idx`: the last 24 hours of traffic across tenants (the overview's
 * tokensLast24h order and its export) are a range of this index, read without the table.
 */
export class OverviewScale1732685000000 implements MigrationInterface {
  name = 'OverviewScale1732685000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_overview (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        name_key text NOT NULL,
        archived boolean NOT NULL,
        app_id text,
        region text,
        identity_mode text,
        token_ttl_seconds integer,
        rotation_period_days integer,
        reminder_lead_days integer,
        settings_saved_at timestamptz,
        identity_mode_set_at timestamptz,
        identity_mode_used_at timestamptz,
        auto_rotate boolean NOT NULL,
        -- null until the tenant declares the platforms it ships (then only those can be off).
        declared_platforms text[],
        custom_attributes jsonb NOT NULL,
        session_duration_seconds integer,
        allow_email_user_ids boolean NOT NULL,
        -- Intercom refused the stored access token (intercom_connections.broken_at).
        intercom_broken_at timestamptz,
        intercom_broken_reason text,
        newest_version integer,
        newest_created_at timestamptz,
        oldest_active_at timestamptz,
        -- The rotation date of the oldest key still signing, 'infinity' without one; and when its
        -- reminders start (due minus the lead time).
        due timestamptz NOT NULL,
        stages_from timestamptz NOT NULL,
        web_on boolean NOT NULL,
        ios_on boolean NOT NULL,
        android_on boolean NOT NULL,
        web_enabled_at timestamptz,
        ios_enabled_at timestamptz,
        android_enabled_at timestamptz,
        web_last timestamptz,
        ios_last timestamptz,
        android_last timestamptz,
        -- greatest of the three, '-infinity' when no token was ever issued.
        last_token_at timestamptz NOT NULL,
        -- Errors and warnings that do not depend on the clock (Intercom connection broken, no APP_ID,
        -- no secret, each declared platform off, token lifetime under the update throttle, legacy
        -- HMAC): the problems order adds 1 from stages_from on.
        static_problems smallint NOT NULL
      );
      CREATE INDEX tenant_overview_name_idx ON tenant_overview (name_key, tenant_id) WHERE NOT archived;
      CREATE INDEX tenant_overview_due_idx ON tenant_overview (due, tenant_id) WHERE NOT archived;
      CREATE INDEX tenant_overview_last_idx ON tenant_overview (last_token_at, tenant_id) WHERE NOT archived;
      CREATE INDEX tenant_overview_problems_idx ON tenant_overview (static_problems, tenant_id) WHERE NOT archived;

      CREATE FUNCTION tenant_overview_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO tenant_overview AS o
        SELECT t.id, t.name, lower(t.name), t.archived_at IS NOT NULL,
               s.app_id, s.region, s.identity_mode, s.token_ttl_seconds, s.rotation_period_days, s.reminder_lead_days,
               s.settings_saved_at, s.identity_mode_set_at, s.identity_mode_used_at,
               coalesce(s.auto_rotate, false), s.declared_platforms, coalesce(s.custom_attributes, '[]'),
               s.session_duration_seconds, coalesce(s.allow_email_user_ids, false), c.broken_at, c.broken_reason,
               v.newest_version, v.newest_created_at, v.oldest_active_at,
               coalesce(v.oldest_active_at + make_interval(secs => coalesce(s.rotation_period_days, 90) * 86400), 'infinity'),
               coalesce(v.oldest_active_at
                 + make_interval(secs => (coalesce(s.rotation_period_days, 90) - coalesce(s.reminder_lead_days, 14)) * 86400),
                 'infinity'),
               coalesce(p.web_on, false), coalesce(p.ios_on, false), coalesce(p.android_on, false),
               p.web_enabled_at, p.ios_enabled_at, p.android_enabled_at,
               u.web_last, u.ios_last, u.android_last,
               coalesce(greatest(u.web_last, u.ios_last, u.android_last), '-infinity'),
               -- setupStatus's rules (apps/api/src/intercom/setup-status.ts); 3600 is the default token
               -- lifetime and 120 MESSENGER_UPDATE_THROTTLE.minTokenTtlSeconds (libs/contracts limits).
               ((c.broken_at IS NOT NULL)::int + (s.app_id IS NULL OR s.app_id = '')::int
                 + (v.oldest_active_at IS NULL)::int
                 + (NOT coalesce(p.web_on, false) AND (s.declared_platforms IS NULL OR 'web' = ANY(s.declared_platforms)))::int
                 + (NOT coalesce(p.ios_on, false) AND (s.declared_platforms IS NULL OR 'ios' = ANY(s.declared_platforms)))::int
                 + (NOT coalesce(p.android_on, false)
                    AND (s.declared_platforms IS NULL OR 'android' = ANY(s.declared_platforms)))::int
                 + (coalesce(s.identity_mode, 'jwt') = 'jwt' AND coalesce(s.token_ttl_seconds, 3600) < 120)::int
                 + (coalesce(s.identity_mode, 'jwt') = 'hmac')::int)::smallint
          FROM tenants t
          LEFT JOIN intercom_settings s ON s.tenant_id = t.id
          LEFT JOIN intercom_connections c ON c.tenant_id = t.id
          LEFT JOIN LATERAL (
            SELECT max(version) AS newest_version,
                   (array_agg(created_at ORDER BY version DESC))[1] AS newest_created_at,
                   min(created_at) AS oldest_active_at
              FROM secret_versions WHERE tenant_id = t.id AND state = 'active'
          ) v ON true
          LEFT JOIN LATERAL (
            SELECT bool_or(security_enabled) FILTER (WHERE platform = 'web') AS web_on,
                   bool_or(security_enabled) FILTER (WHERE platform = 'ios') AS ios_on,
                   bool_or(security_enabled) FILTER (WHERE platform = 'android') AS android_on,
                   max(enabled_at) FILTER (WHERE platform = 'web') AS web_enabled_at,
                   max(enabled_at) FILTER (WHERE platform = 'ios') AS ios_enabled_at,
                   max(enabled_at) FILTER (WHERE platform = 'android') AS android_enabled_at
              FROM platform_security WHERE tenant_id = t.id
          ) p ON true
          -- The newest hour holds the last token: one primary key probe per platform.
          LEFT JOIN LATERAL (
            SELECT (SELECT last_token_at FROM token_usage WHERE tenant_id = t.id AND platform = 'web' ORDER BY hour DESC LIMIT 1) AS web_last,
                   (SELECT last_token_at FROM token_usage WHERE tenant_id = t.id AND platform = 'ios' ORDER BY hour DESC LIMIT 1) AS ios_last,
                   (SELECT last_token_at FROM token_usage WHERE tenant_id = t.id AND platform = 'android' ORDER BY hour DESC LIMIT 1) AS android_last
          ) u ON true
         WHERE t.id = ANY(ids)
        ON CONFLICT (tenant_id) DO UPDATE SET
          name = EXCLUDED.name, name_key = EXCLUDED.name_key, archived = EXCLUDED.archived, app_id = EXCLUDED.app_id,
          region = EXCLUDED.region, identity_mode = EXCLUDED.identity_mode, token_ttl_seconds = EXCLUDED.token_ttl_seconds,
          rotation_period_days = EXCLUDED.rotation_period_days, reminder_lead_days = EXCLUDED.reminder_lead_days,
          settings_saved_at = EXCLUDED.settings_saved_at, identity_mode_set_at = EXCLUDED.identity_mode_set_at,
          identity_mode_used_at = EXCLUDED.identity_mode_used_at, auto_rotate = EXCLUDED.auto_rotate,
          declared_platforms = EXCLUDED.declared_platforms, custom_attributes = EXCLUDED.custom_attributes,
          session_duration_seconds = EXCLUDED.session_duration_seconds,
          allow_email_user_ids = EXCLUDED.allow_email_user_ids, intercom_broken_at = EXCLUDED.intercom_broken_at,
          intercom_broken_reason = EXCLUDED.intercom_broken_reason, newest_version = EXCLUDED.newest_version,
          newest_created_at = EXCLUDED.newest_created_at, oldest_active_at = EXCLUDED.oldest_active_at,
          due = EXCLUDED.due, stages_from = EXCLUDED.stages_from, web_on = EXCLUDED.web_on, ios_on = EXCLUDED.ios_on,
          android_on = EXCLUDED.android_on, web_enabled_at = EXCLUDED.web_enabled_at,
          ios_enabled_at = EXCLUDED.ios_enabled_at, android_enabled_at = EXCLUDED.android_enabled_at,
          web_last = EXCLUDED.web_last, ios_last = EXCLUDED.ios_last, android_last = EXCLUDED.android_last,
          last_token_at = EXCLUDED.last_token_at, static_problems = EXCLUDED.static_problems
      $$;

      CREATE FUNCTION tenant_overview_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'tenants' THEN
          PERFORM tenant_overview_refresh(ARRAY[NEW.id]);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM tenant_overview_refresh(ARRAY[OLD.tenant_id]);
        ELSE
          PERFORM tenant_overview_refresh(ARRAY[NEW.tenant_id]);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER tenant_overview_tenants AFTER INSERT OR UPDATE OF name, archived_at ON tenants
        FOR EACH ROW EXECUTE FUNCTION tenant_overview_row_changed();
      CREATE TRIGGER tenant_overview_settings AFTER INSERT OR UPDATE OR DELETE ON intercom_settings
        FOR EACH ROW EXECUTE FUNCTION tenant_overview_row_changed();
      CREATE TRIGGER tenant_overview_versions AFTER INSERT OR UPDATE OR DELETE ON secret_versions
        FOR EACH ROW EXECUTE FUNCTION tenant_overview_row_changed();
      CREATE TRIGGER tenant_overview_security AFTER INSERT OR UPDATE OR DELETE ON platform_security
        FOR EACH ROW EXECUTE FUNCTION tenant_overview_row_changed();
      CREATE TRIGGER tenant_overview_connections
        AFTER INSERT OR UPDATE OF broken_at, broken_reason OR DELETE ON intercom_connections
        FOR EACH ROW EXECUTE FUNCTION tenant_overview_row_changed();

      CREATE FUNCTION tenant_overview_usage() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Rows locked in one order, so two replicas' flushes never wait on each other in a cycle.
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
      -- Once per statement (the usage flush writes a batch in one), not once per row.
      CREATE TRIGGER tenant_overview_usage_ins AFTER INSERT ON token_usage
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tenant_overview_usage();
      CREATE TRIGGER tenant_overview_usage_upd AFTER UPDATE ON token_usage
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tenant_overview_usage();

      SELECT tenant_overview_refresh(coalesce(array_agg(id), '{}')) FROM tenants;

      -- Tokens per UTC day and platform across tenants: the staff usage chart reads 30 rows per
      -- platform instead of summing ~160,000 hourly rows. Kept by the same statement triggers.
      CREATE TABLE token_usage_daily (
        day date NOT NULL,
        platform text NOT NULL CHECK (platform IN ('web', 'ios', 'android')),
        count bigint NOT NULL,
        PRIMARY KEY (day, platform)
      );
      INSERT INTO token_usage_daily (day, platform, count)
        SELECT (hour AT TIME ZONE 'UTC')::date, platform, sum(count) FROM token_usage GROUP BY 1, 2;

      -- Rows in (day, platform) order, so concurrent flushes lock them in one order.
      CREATE FUNCTION token_usage_daily_ins() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO token_usage_daily AS d (day, platform, count)
        SELECT (hour AT TIME ZONE 'UTC')::date, platform, sum(count) FROM changed
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (day, platform) DO UPDATE SET count = d.count + EXCLUDED.count;
        RETURN NULL;
      END $$;
      CREATE FUNCTION token_usage_daily_upd() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO token_usage_daily AS d (day, platform, count)
        SELECT (hour AT TIME ZONE 'UTC')::date, platform, sum(n.count - o.count) FROM changed n JOIN before o USING (tenant_id, platform, hour)
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (day, platform) DO UPDATE SET count = d.count + EXCLUDED.count;
        RETURN NULL;
      END $$;
      CREATE FUNCTION token_usage_daily_del() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO token_usage_daily AS d (day, platform, count)
        SELECT (hour AT TIME ZONE 'UTC')::date, platform, sum(-count) FROM before
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (day, platform) DO UPDATE SET count = d.count + EXCLUDED.count;
        RETURN NULL;
      END $$;
      CREATE TRIGGER token_usage_daily_ins AFTER INSERT ON token_usage
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION token_usage_daily_ins();
      CREATE TRIGGER token_usage_daily_upd AFTER UPDATE ON token_usage
        REFERENCING OLD TABLE AS before NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION token_usage_daily_upd();
      CREATE TRIGGER token_usage_daily_del AFTER DELETE ON token_usage
        REFERENCING OLD TABLE AS before FOR EACH STATEMENT EXECUTE FUNCTION token_usage_daily_del();

      CREATE INDEX token_usage_hour_idx ON token_usage (hour) INCLUDE (platform, count, tenant_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX token_usage_hour_idx;
      DROP TRIGGER token_usage_daily_del ON token_usage;
      DROP TRIGGER token_usage_daily_upd ON token_usage;
      DROP TRIGGER token_usage_daily_ins ON token_usage;
      DROP FUNCTION token_usage_daily_del();
      DROP FUNCTION token_usage_daily_upd();
      DROP FUNCTION token_usage_daily_ins();
      DROP TABLE token_usage_daily;
      DROP TRIGGER tenant_overview_usage_upd ON token_usage;
      DROP TRIGGER tenant_overview_usage_ins ON token_usage;
      DROP TRIGGER tenant_overview_connections ON intercom_connections;
      DROP TRIGGER tenant_overview_security ON platform_security;
      DROP TRIGGER tenant_overview_versions ON secret_versions;
      DROP TRIGGER tenant_overview_settings ON intercom_settings;
      DROP TRIGGER tenant_overview_tenants ON tenants;
      DROP FUNCTION tenant_overview_usage();
      DROP FUNCTION tenant_overview_row_changed();
      DROP FUNCTION tenant_overview_refresh(uuid[]);
      DROP TABLE tenant_overview;
    `);
  }
}
