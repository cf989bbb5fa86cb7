import { createHash } from 'node:crypto';
import { MESSENGER_UPDATE_THROTTLE, SETTINGS_DEFAULTS, type CustomAttributeRule } from '@messenger-vault/contracts';
import { PLATFORMS, type Platform } from '@messenger-vault/intercom';
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
  auto_rotate: boolean;
  declared_platforms: Platform[] | null;
  custom_attributes: CustomAttributeRule[];
  session_duration_seconds: number | null;
  allow_email_user_ids: boolean;
  intercom_broken_at: Date | null;
  intercom_broken_reason: string | null;
  newest_version: number | null;
  newest_created_at: Date | null;
  oldest_active_at: Date | null;
  web_on: boolean;
  ios_on: boolean;
  android_on: boolean;
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
}

/**
 * Every live tenant's facts from `tenant_overview` (kept by triggers, see the migration
 * 1732685000000-overview-scale), with the clock-dependent problems computed here from its
 * columns alone, so filtering, ordering and keyset paging happen in PostgreSQL, the name, due
 * date and last token orders walk an index, and only the requested page leaves it. The problem
 * rules mirror `setupStatus` (apps/api/src/intercom/setup-status.ts); staff-overview.test.ts
 * checks the two agree. `$1` is the time the rotation stages are judged at. The 24-hour traffic
 * window is the setup page's (`hour > date_trunc('hour', now()) - 24 hours`): a platform had
 * traffic in it exactly when the hour of its last token is inside it. Its token counts are the
 * stored ones (`*_24h`, migration 1732700000000 and docs/decisions/0056: kept by the usage
 * flush, rolled forward on the first flush of each hour).
 */
const FACTS = `
  f AS NOT MATERIALIZED (
    SELECT o.tenant_id AS id, o.name, o.name_key, o.app_id, o.region, o.identity_mode, o.token_ttl_seconds,
           o.rotation_period_days, o.reminder_lead_days, o.settings_saved_at, o.identity_mode_set_at,
           o.identity_mode_used_at, o.auto_rotate, o.declared_platforms, o.custom_attributes,
           o.session_duration_seconds, o.allow_email_user_ids, o.intercom_broken_at, o.intercom_broken_reason,
           o.newest_version, o.newest_created_at, o.oldest_active_at, o.due,
           o.web_on, o.ios_on, o.android_on, o.web_enabled_at, o.ios_enabled_at, o.android_enabled_at,
           o.web_last, o.ios_last, o.android_last, o.last_token_at, o.static_problems, o.stages_from,
           o.web_24h, o.ios_24h, o.android_24h, o.tokens_24h,
           o.intercom_broken_at IS NOT NULL AS intercom_connection_broken,
           o.app_id IS NULL OR o.app_id = '' AS no_app_id,
           o.oldest_active_at IS NULL AS no_secret,
           $1::timestamptz >= o.due AS rotation_overdue,
           $1::timestamptz < o.due AND $1::timestamptz >= o.stages_from AS rotation_due_soon,
           ${anyPlatform((p) => `NOT o.${p}_on`)} AS platform_off,
           ${anyPlatform((p) => `o.${p}_on AND ${quiet(`o.${p}_last`)}`)} AS platform_no_traffic,
           coalesce(o.identity_mode, 'jwt') = 'jwt'
             AND coalesce(o.token_ttl_seconds, ${SETTINGS_DEFAULTS.tokenTtlSeconds}) < ${MESSENGER_UPDATE_THROTTLE.minTokenTtlSeconds}
             AS ttl_under_update_throttle,
           coalesce(o.identity_mode, 'jwt') = 'hmac' AS legacy_hmac
      FROM tenant_overview o
     WHERE NOT o.archived __NAME_FILTER__
  )`;

/**
 * `q` as a case-insensitive substring of the name or the APP_ID: `tenant_overview_search_idx`
 * (trigrams of both, migration 1732700000000) finds the candidates, the second test keeps a
 * match from spanning the two. The matches are then sorted, not found by walking an order's
 * index: `OFFSET 0` keeps the planner from betting that matches are spread evenly along it (a
 * name like "Wonka …" sorts near the end: the walk read 95,000 rows to find 100).
 */
function searchFilter(param: string): string {
  return `AND o.name_key || E'\n' || lower(coalesce(o.app_id, '')) LIKE ${param}
          AND (o.name_key LIKE ${param} OR lower(o.app_id) LIKE ${param}) OFFSET 0`;
}

/** A platform rule holds for some platform the tenant ships (every platform until it declares them). */
function anyPlatform(rule: (p: Platform) => string): string {
  const shipped = (p: Platform) => `(o.declared_platforms IS NULL OR '${p}' = ANY(o.declared_platforms))`;
  return `(${PLATFORMS.map((p) => `(${shipped(p)} AND ${rule(p)})`).join(' OR ')})`;
}

function quiet(last: string): string {
  return `(${last} IS NULL OR date_trunc('hour', ${last}) <= date_trunc('hour', now()) - interval '24 hours')`;
}

/** The sort column (never null, so keyset comparison works) and its type for the cursor. */
const SORT_SQL: Record<OverviewSort, { expr: string; type: 'text' | 'timestamptz' | 'bigint' }> = {
  name: { expr: 'f.name_key', type: 'text' },
  // Missing dates are stored as 'infinity' (sort last ascending) and '-infinity' (first).
  rotationDueAt: { expr: 'f.due', type: 'timestamptz' },
  lastTokenAt: { expr: 'f.last_token_at', type: 'timestamptz' },
  tokensLast24h: { expr: 'f.tokens_24h', type: 'bigint' },
  // Errors and warnings, as `setupStatus` counts them (platform_off once per platform; info not):
  // the stored clock-free ones, plus the rotation one from the day reminders start.
  problems: { expr: '(f.static_problems + ($1::timestamptz >= f.stages_from)::int)::bigint', type: 'bigint' },
};

export interface Cursor {
  key: string;
  id: string;
  /** The first page's count of matching rows, shown on every page of the same listing. */
  total: number;
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
  return Buffer.from(JSON.stringify([CURSOR_VERSION, scopeOf(filters), cursor.key, cursor.id, cursor.total])).toString(
    'base64url',
  );
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
    parsed.length !== 5 ||
    parsed[0] !== CURSOR_VERSION ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string' ||
    typeof parsed[3] !== 'string' ||
    !UUID.test(parsed[3]) ||
    !Number.isSafeInteger(parsed[4]) ||
    parsed[4] < 0 ||
    !KEY_SHAPE[SORT_SQL[filters.sort ?? 'name'].type].test(parsed[2])
  )
    throw badCursor('cursor is not one this API issued');
  if (parsed[1] !== scopeOf(filters)) throw badCursor('cursor was issued for other filters or another order');
  return { key: parsed[2], id: parsed[3], total: parsed[4] };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface OverviewSql {
  /** The page (or, without a limit, every row) in order, each with its sort key and traffic. */
  rows: { text: string; params: unknown[] };
  /** How many rows match the filters over all pages. */
  count: { text: string; params: unknown[] };
}

/** What the service builds an export row from (every column of OverviewSqlRow but the cursor's key). */
const EXPORT_COLUMNS: ReadonlyArray<Exclude<keyof OverviewSqlRow, 'sort_key'>> = [
  'id',
  'name',
  'app_id',
  'region',
  'identity_mode',
  'token_ttl_seconds',
  'rotation_period_days',
  'reminder_lead_days',
  'settings_saved_at',
  'identity_mode_set_at',
  'identity_mode_used_at',
  'auto_rotate',
  'declared_platforms',
  'custom_attributes',
  'session_duration_seconds',
  'allow_email_user_ids',
  'intercom_broken_at',
  'intercom_broken_reason',
  'newest_version',
  'newest_created_at',
  'oldest_active_at',
  'web_on',
  'ios_on',
  'android_on',
  'web_enabled_at',
  'ios_enabled_at',
  'android_enabled_at',
  'web_24h',
  'ios_24h',
  'android_24h',
  'web_last',
  'ios_last',
  'android_last',
];

/** SQL for one page of the overview (`limit` rows from `after` on), or for all of it (the export). */
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
    nameFilter = searchFilter(`$${params.length}`);
  }
  const where: string[] = [];
  const codes = [...new Set((filters.problem ?? '').split(','))].filter((c): c is OverviewProblem =>
    (OVERVIEW_PROBLEMS as readonly string[]).includes(c),
  );
  if (codes.length) where.push(`(${codes.map((c) => `f.${c}`).join(' OR ')})`);
  const cte = `WITH ${FACTS.replace('__NAME_FILTER__', nameFilter)}`;
  const count = {
    text: `${cte} SELECT count(*)::int AS total FROM f ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
    params: [...params],
  };
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
  if (limit === null) {
    // The export: every row, in order, straight from tenant_overview, with the columns its rows
    // are built from only (each timestamp is parsed in JavaScript: 100,000 rows of them).
    return {
      rows: {
        text: `${cte}
          SELECT ${EXPORT_COLUMNS.map((c) => `f.${c}`).join(', ')} FROM f
           ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY ${sort.expr} ${dir}, f.id ${dir}`,
        params,
      },
      count,
    };
  }
  if (filters.sort === 'problems') {
    // The key is the stored count, plus 1 from the day reminders start: two walks of
    // tenant_overview_problems_idx (with and without the rotation problem), merged.
    const cmp = dir === 'DESC' ? '<' : '>';
    const afterSql = (shift: number) =>
      after
        ? `AND (f.static_problems, f.id) ${cmp} ($${params.length - 2}::bigint - ${shift}, $${params.length - 1}::uuid)`
        : '';
    const filter = where.filter((w) => !w.startsWith(`(${sort.expr}, f.id)`));
    const and = filter.length ? `AND ${filter.join(' AND ')}` : '';
    // Filtered by rotation problems only, no row can lack one: the second walk would read the
    // whole index to find nothing.
    const rotationOnly = codes.length > 0 && codes.every((c) => c === 'rotation_overdue' || c === 'rotation_due_soon');
    return {
      rows: {
        text: `${cte}
          SELECT p.*, p.sort_value::text AS sort_key FROM (
            SELECT * FROM (
              (SELECT f.*, (f.static_problems + 1)::bigint AS sort_value FROM f
                WHERE $1::timestamptz >= f.stages_from ${and} ${afterSql(1)}
                ORDER BY f.static_problems ${dir}, f.id ${dir} ${limitSql})
              ${
                rotationOnly
                  ? ''
                  : `UNION ALL
              (SELECT f.*, f.static_problems::bigint AS sort_value FROM f
                WHERE $1::timestamptz < f.stages_from ${and} ${afterSql(0)}
                ORDER BY f.static_problems ${dir}, f.id ${dir} ${limitSql})`
              }
            ) u ORDER BY sort_value ${dir}, id ${dir} ${limitSql}
          ) p ORDER BY p.sort_value ${dir}, p.id ${dir}`,
        params,
      },
      count,
    };
  }
  return {
    rows: {
      text: `${cte}
        SELECT f.*, (${sort.expr})::text AS sort_key FROM f
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY ${sort.expr} ${dir}, f.id ${dir} ${limitSql}`,
      params,
    },
    count,
  };
}
