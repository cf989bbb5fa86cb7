import { createHash } from 'node:crypto';
import { SETTINGS_DEFAULTS } from '@messenger-vault/contracts';
import { validationError } from '../common/errors';
import { OVERVIEW_PROBLEMS, OVERVIEW_SORTS } from './dto/staff.dto';

export type OverviewSort = (typeof OVERVIEW_SORTS)[number];
export type OverviewProblem = (typeof OVERVIEW_PROBLEMS)[number];

export interface OverviewFilters {
  problem?: string;
  q?: string;
  sort?: OverviewSort;
  order?: 'asc' | 'desc';
}

/** One tenant's facts as the overview query returns them (the columns `setupStatus` needs). */
export interface OverviewSqlRow {
  id: string;
  name: string;
  app_id: string | null;
  region: string | null;
  identity_mode: 'jwt' | 'hmac' | null;
  token_ttl_seconds: number | null;
  rotation_period_days: number | null;
  reminder_lead_days: number | null;
  settings_saved_at: Date | null;
  identity_mode_set_at: Date | null;
  identity_mode_used_at: Date | null;
  newest_version: number | null;
  newest_created_at: Date | null;
  oldest_active_at: Date | null;
  web_on: boolean | null;
  ios_on: boolean | null;
  android_on: boolean | null;
  web_enabled_at: Date | null;
  ios_enabled_at: Date | null;
  android_enabled_at: Date | null;
  web_24h: string | null;
  ios_24h: string | null;
  android_24h: string | null;
  web_last: Date | null;
  ios_last: Date | null;
  android_last: Date | null;
  /** The sort column as PostgreSQL prints it: what the next page's cursor carries. */
  sort_key: string;
  total: number;
}

/**
 * Every live tenant's facts in one set-based query (no per-tenant round trips), with each
 * problem and sort column computed in SQL so filtering, ordering and keyset paging happen in
 * PostgreSQL and only the requested page leaves it. The problem rules mirror `setupStatus`
 * (apps/api/src/intercom/setup-status.ts); staff-overview.test.ts checks the two agree.
 * `$1` is the time the rotation stages are judged at; the 24-hour traffic window is the same
 * `date_trunc('hour', now())` one the setup page uses.
 */
const FACTS = `
  sv AS (
    SELECT tenant_id, max(version) AS newest_version,
           (array_agg(created_at ORDER BY version DESC))[1] AS newest_created_at,
           min(created_at) AS oldest_active_at
      FROM secret_versions WHERE state = 'active' GROUP BY tenant_id
  ),
  ps AS (
    SELECT tenant_id,
           bool_or(security_enabled) FILTER (WHERE platform = 'web') AS web_on,
           bool_or(security_enabled) FILTER (WHERE platform = 'ios') AS ios_on,
           bool_or(security_enabled) FILTER (WHERE platform = 'android') AS android_on,
           max(enabled_at) FILTER (WHERE platform = 'web') AS web_enabled_at,
           max(enabled_at) FILTER (WHERE platform = 'ios') AS ios_enabled_at,
           max(enabled_at) FILTER (WHERE platform = 'android') AS android_enabled_at
      FROM platform_security GROUP BY tenant_id
  ),
  day AS (
    SELECT tenant_id,
           sum(count) FILTER (WHERE platform = 'web') AS web_24h,
           sum(count) FILTER (WHERE platform = 'ios') AS ios_24h,
           sum(count) FILTER (WHERE platform = 'android') AS android_24h
      FROM token_usage WHERE hour > date_trunc('hour', now()) - interval '24 hours' GROUP BY tenant_id
  ),
  latest AS (
    SELECT tenant_id,
           max(last_token_at) FILTER (WHERE platform = 'web') AS web_last,
           max(last_token_at) FILTER (WHERE platform = 'ios') AS ios_last,
           max(last_token_at) FILTER (WHERE platform = 'android') AS android_last
      FROM token_usage_latest GROUP BY tenant_id
  ),
  base AS (
    SELECT t.id, t.name, s.app_id, s.region, s.identity_mode, s.token_ttl_seconds, s.rotation_period_days,
           s.reminder_lead_days, s.settings_saved_at, s.identity_mode_set_at, s.identity_mode_used_at,
           sv.newest_version, sv.newest_created_at, sv.oldest_active_at,
           ps.web_on, ps.ios_on, ps.android_on, ps.web_enabled_at, ps.ios_enabled_at, ps.android_enabled_at,
           day.web_24h, day.ios_24h, day.android_24h, latest.web_last, latest.ios_last, latest.android_last,
           sv.oldest_active_at
             + make_interval(secs => coalesce(s.rotation_period_days, ${SETTINGS_DEFAULTS.rotationPeriodDays}) * 86400) AS due,
           make_interval(secs => coalesce(s.reminder_lead_days, ${SETTINGS_DEFAULTS.reminderLeadDays}) * 86400) AS lead
      FROM tenants t
      LEFT JOIN intercom_settings s ON s.tenant_id = t.id
      LEFT JOIN sv ON sv.tenant_id = t.id
      LEFT JOIN ps ON ps.tenant_id = t.id
      LEFT JOIN day ON day.tenant_id = t.id
      LEFT JOIN latest ON latest.tenant_id = t.id
     WHERE t.archived_at IS NULL __NAME_FILTER__
  ),
  f AS (
    SELECT b.*,
           b.app_id IS NULL OR b.app_id = '' AS no_app_id,
           b.due IS NULL AS no_secret,
           b.due IS NOT NULL AND $1::timestamptz >= b.due AS rotation_overdue,
           b.due IS NOT NULL AND $1::timestamptz < b.due AND $1::timestamptz >= b.due - b.lead AS rotation_due_soon,
           NOT (coalesce(b.web_on, false) AND coalesce(b.ios_on, false) AND coalesce(b.android_on, false)) AS platform_off,
           (coalesce(b.web_on, false) AND coalesce(b.web_24h, 0) = 0)
             OR (coalesce(b.ios_on, false) AND coalesce(b.ios_24h, 0) = 0)
             OR (coalesce(b.android_on, false) AND coalesce(b.android_24h, 0) = 0) AS platform_no_traffic,
           coalesce(b.identity_mode, 'jwt') = 'hmac' AS legacy_hmac
      FROM base b
  )`;

/** The sort column (never null, so keyset comparison works) and its type for the cursor. */
const SORT_SQL: Record<OverviewSort, { expr: string; type: 'text' | 'timestamptz' | 'bigint' }> = {
  name: { expr: 'lower(f.name)', type: 'text' },
  // Missing dates sort last in ascending order.
  rotationDueAt: { expr: "coalesce(f.due, 'infinity'::timestamptz)", type: 'timestamptz' },
  lastTokenAt: {
    expr: "coalesce(greatest(f.web_last, f.ios_last, f.android_last), '-infinity'::timestamptz)",
    type: 'timestamptz',
  },
  tokensLast24h: {
    expr: '(coalesce(f.web_24h, 0) + coalesce(f.ios_24h, 0) + coalesce(f.android_24h, 0))::bigint',
    type: 'bigint',
  },
  // Errors and warnings, as `setupStatus` counts them (platform_off once per platform; info not).
  problems: {
    expr: `(f.no_app_id::int + f.no_secret::int + (f.rotation_overdue OR f.rotation_due_soon)::int
            + (NOT coalesce(f.web_on, false))::int + (NOT coalesce(f.ios_on, false))::int
            + (NOT coalesce(f.android_on, false))::int + f.legacy_hmac::int)::bigint`,
    type: 'bigint',
  },
};

interface Cursor {
  key: string;
  id: string;
}

const CURSOR_VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_SHAPE: Record<'text' | 'timestamptz' | 'bigint', RegExp> = {
  text: /^[^\0]{0,400}$/su,
  timestamptz: /^(-?infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?)$/,
  bigint: /^\d{1,18}$/,
};

/** What a cursor is bound to: a cursor from another filter or order would skip or repeat rows. */
function scopeOf(filters: OverviewFilters): string {
  const scope = [filters.problem ?? '', filters.q ?? '', filters.sort ?? 'name', filters.order ?? 'asc'].join('\n');
  return createHash('sha256').update(scope).digest('base64url').slice(0, 12);
}

export function encodeCursor(filters: OverviewFilters, cursor: Cursor): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, scopeOf(filters), cursor.key, cursor.id])).toString('base64url');
}

const badCursor = (why: string) =>
  validationError({
    cursor: [`${why}; pass back nextCursor from the previous page unchanged, with the same filters.`],
  });

/** The keyset position a cursor names, or a 400 for anything this API did not issue. */
export function decodeCursor(filters: OverviewFilters, raw: string | undefined): Cursor | null {
  if (raw === undefined || raw === '') return null;
  if (raw.length > 1200 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw badCursor('cursor is not one this API issued');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('cursor is not one this API issued');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    parsed[0] !== CURSOR_VERSION ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string' ||
    typeof parsed[3] !== 'string' ||
    !UUID.test(parsed[3]) ||
    !KEY_SHAPE[SORT_SQL[filters.sort ?? 'name'].type].test(parsed[2])
  )
    throw badCursor('cursor is not one this API issued');
  if (parsed[1] !== scopeOf(filters)) throw badCursor('cursor was issued for other filters or another order');
  return { key: parsed[2], id: parsed[3] };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface OverviewSql {
  /** The page (or, without a limit, every row) in order, each with its sort key and the total. */
  rows: { text: string; params: unknown[] };
  /** How many rows match the filters over all pages (when the page is empty and so carries no total). */
  total: { text: string; params: unknown[] };
}

/** SQL for one page of the overview (`limit`), or for all of it from `after` on (the export). */
export function overviewSql(
  filters: OverviewFilters,
  now: Date,
  after: Cursor | null,
  limit: number | null,
): OverviewSql {
  const params: unknown[] = [now];
  let nameFilter = '';
  if (filters.q) {
    params.push(`%${escapeLike(filters.q.toLowerCase())}%`);
    nameFilter = `AND (lower(t.name) LIKE $${params.length} OR s.app_id LIKE $${params.length})`;
  }
  const cte = `WITH ${FACTS.replace('__NAME_FILTER__', nameFilter)}`;
  const where: string[] = [];
  if (filters.problem) {
    const codes = [...new Set(filters.problem.split(','))].filter((c): c is OverviewProblem =>
      (OVERVIEW_PROBLEMS as readonly string[]).includes(c),
    );
    if (codes.length) where.push(`(${codes.map((c) => `f.${c}`).join(' OR ')})`);
  }
  const totalWhere = [...where];
  const totalParams = [...params];
  const sort = SORT_SQL[filters.sort ?? 'name'];
  const dir = filters.order === 'desc' ? 'DESC' : 'ASC';
  if (after) {
    params.push(after.key, after.id);
    const cmp = dir === 'DESC' ? '<' : '>';
    where.push(`(${sort.expr}, f.id) ${cmp} ($${params.length - 1}::${sort.type}, $${params.length}::uuid)`);
  }
  let limitSql = '';
  if (limit !== null) {
    params.push(limit);
    limitSql = `LIMIT $${params.length}`;
  }
  const whereSql = (w: string[]) => (w.length ? `WHERE ${w.join(' AND ')}` : '');
  return {
    rows: {
      text: `${cte} SELECT f.*, (${sort.expr})::text AS sort_key,
                     ${limit === null ? 'NULL' : `(SELECT count(*)::int FROM f ${whereSql(totalWhere)})`} AS total
                FROM f ${whereSql(where)}
              ORDER BY ${sort.expr} ${dir}, f.id ${dir} ${limitSql}`,
      params,
    },
    total: { text: `${cte} SELECT count(*)::int AS total FROM f ${whereSql(totalWhere)}`, params: totalParams },
  };
}
