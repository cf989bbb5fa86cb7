import { Injectable } from '@nestjs/common';
import { PLATFORMS, type Platform } from '@messenger-vault/intercom';
import { DataSource } from 'typeorm';
import { SETTINGS_DEFAULTS, csvLine, rotationDueAt } from '@messenger-vault/contracts';
import { IntegrationFacts } from '../intercom/integration-facts.service';
import { setupStatus } from '../intercom/setup-status';
import {
  IntegrationPageDto,
  IntegrationRowDto,
  IntegrationsFilterQuery,
  IntegrationsQuery,
  TokenUsageDto,
  TokenUsageQuery,
} from './dto/staff.dto';
import { INTEGRATIONS_CSV_HEADER, integrationCsvLine } from './integrations-csv';
import { OverviewSqlRow, decodeCursor, encodeCursor, overviewSql } from './overview-query';

const DAY_MS = 86_400_000;

function toRow(f: IntegrationFacts, now: Date): IntegrationRowDto {
  const { steps, problems } = setupStatus(f, now);
  // Plain loops, no Set or chained arrays: the export builds 100,000 of these in one request.
  let rotationStatus: IntegrationRowDto['rotationStatus'] = f.rotationDueAt ? 'ok' : 'none';
  if (f.rotationDueAt)
    for (const p of problems) {
      if (p.code === 'rotation_overdue') rotationStatus = 'overdue';
      else if (p.code === 'rotation_due_soon' && rotationStatus === 'ok') rotationStatus = 'due_soon';
    }
  let lastTokenAt: string | null = null;
  let tokensLast24h = 0;
  for (const p of PLATFORMS) {
    const platform = f.platforms[p];
    // ISO strings of one format: the greatest string is the latest time.
    if (platform.lastTokenAt !== null && (lastTokenAt === null || platform.lastTokenAt > lastTokenAt))
      lastTokenAt = platform.lastTokenAt;
    tokensLast24h += platform.tokensLast24h;
  }
  let stepsDone = 0;
  for (const step of steps) if (step.done) stepsDone++;
  return {
    tenantId: f.tenantId,
    tenantName: f.tenantName,
    appId: f.appId,
    identityMode: f.identityMode,
    autoRotate: f.autoRotate,
    secretVersion: f.newestSecret?.version ?? null,
    secretAgeDays: f.oldestActiveSecretAt
      ? Math.floor((now.getTime() - f.oldestActiveSecretAt.getTime()) / DAY_MS)
      : null,
    rotationDueAt: f.rotationDueAt?.toISOString() ?? null,
    rotationStatus,
    platforms: f.platforms,
    tokensLast24h,
    lastTokenAt,
    stepsDone,
    problems,
  };
}

/** The facts `setupStatus` reads, from one row of the overview query. */
/** Each platform's column names, spelled once (not built per row: the export reads 100,000 rows). */
const PLATFORM_COLUMNS = {
  web: { on: 'web_on', enabledAt: 'web_enabled_at', last: 'web_last', day: 'web_24h' },
  ios: { on: 'ios_on', enabledAt: 'ios_enabled_at', last: 'ios_last', day: 'ios_24h' },
  android: { on: 'android_on', enabledAt: 'android_enabled_at', last: 'android_last', day: 'android_24h' },
} as const satisfies Record<Platform, Record<string, keyof OverviewSqlRow>>;

function toFacts(r: OverviewSqlRow): IntegrationFacts {
  const platform = (p: Platform) => {
    const c = PLATFORM_COLUMNS[p];
    return {
      securityEnabled: r[c.on],
      enabledAt: r[c.enabledAt]?.toISOString() ?? null,
      lastTokenAt: r[c.last]?.toISOString() ?? null,
      tokensLast24h: Number(r[c.day] ?? 0),
    };
  };
  const period = r.rotation_period_days ?? SETTINGS_DEFAULTS.rotationPeriodDays;
  return {
    tenantId: r.id,
    tenantName: r.name,
    appId: r.app_id,
    region: (r.region ?? 'us') as IntegrationFacts['region'],
    identityMode: r.identity_mode ?? 'jwt',
    tokenTtlSeconds: r.token_ttl_seconds ?? SETTINGS_DEFAULTS.tokenTtlSeconds,
    rotationPeriodDays: period,
    reminderLeadDays: r.reminder_lead_days ?? SETTINGS_DEFAULTS.reminderLeadDays,
    settingsSavedAt: r.settings_saved_at,
    identityModeSetAt: r.identity_mode_set_at,
    identityModeUsedAt: r.identity_mode_used_at,
    newestSecret:
      r.newest_version !== null && r.newest_created_at
        ? { version: r.newest_version, createdAt: r.newest_created_at }
        : null,
    oldestActiveSecretAt: r.oldest_active_at,
    autoRotate: r.auto_rotate,
    rotationDueAt: r.oldest_active_at ? rotationDueAt(r.oldest_active_at, period) : null,
    platforms: { web: platform('web'), ios: platform('ios'), android: platform('android') },
    // As IntegrationFactsService reads them: declared platforms in PLATFORMS order.
    declaredPlatforms: r.declared_platforms ? PLATFORMS.filter((p) => r.declared_platforms!.includes(p)) : null,
    customAttributes: r.custom_attributes,
    sessionDurationSeconds: r.session_duration_seconds,
    allowEmailUserIds: r.allow_email_user_ids,
    intercomBroken: r.intercom_broken_at
      ? { at: r.intercom_broken_at, reason: r.intercom_broken_reason ?? 'Intercom answered 401' }
      : null,
  };
}

/**
 * Rows the export reads from PostgreSQL's cursor at a time: memory stays flat at any size. Few
 * enough that a batch is turned into CSV (~7 MB of short-lived objects) before V8's young
 * generation is collected twice: rows still waiting after two scavenges are promoted to the old
 * generation, which then grows by most of the export (+130 MB RSS at 1,000 a batch, 100,000 rows)
 * before a full collection; each row is let go as soon as its line is written for the same reason.
 */
const EXPORT_BATCH = 250;

/**
 * The staff overview: one row per live tenant. PostgreSQL filters, sorts and pages (keyset) the
 * tenants (overview-query.ts); each row of the page is then built by the same `setupStatus` rules
 * as the tenant's own setup page, so the two never disagree.
 */
@Injectable()
export class StaffOverviewService {
  constructor(private readonly db: DataSource) {}

  async integrations(query: IntegrationsQuery, now = new Date()): Promise<IntegrationPageDto> {
    const after = decodeCursor(query, query.cursor);
    const limit = query.limit ?? 100;
    // One row more than asked tells whether there is a next page.
    const sql = overviewSql(query, now, after, limit + 1);
    // Later pages carry the first page's count in their cursor: only the first pays for a count.
    const [rows, total] = await Promise.all([
      this.db.query(sql.rows.text, sql.rows.params) as Promise<OverviewSqlRow[]>,
      after
        ? after.total
        : (this.db.query(sql.count.text, sql.count.params) as Promise<Array<{ total: number }>>).then(
            ([row]) => row?.total ?? 0,
          ),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toRow(toFacts(r), now)),
      nextCursor: rows.length > limit && last ? encodeCursor(query, { key: last.sort_key, id: last.id, total }) : null,
      total,
    };
  }

  /**
   * Every row matching the filters, in the asked order, as CSV lines, read through a server-side
   * cursor in batches. Validates before the first line, so a bad filter is a 400, not a broken
   * download.
   */
  exportCsv(query: IntegrationsFilterQuery, now = new Date()): AsyncGenerator<string> {
    const sql = overviewSql(query, now, null, null);
    return this.csvLines(sql.rows.text, sql.rows.params, now);
  }

  private async *csvLines(text: string, params: unknown[], now: Date): AsyncGenerator<string> {
    yield csvLine(INTEGRATIONS_CSV_HEADER);
    const runner = this.db.createQueryRunner();
    await runner.connect();
    let committed = false;
    try {
      // A read-only snapshot: the export is one consistent picture, however long it streams.
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await runner.query(`DECLARE overview_export NO SCROLL CURSOR FOR ${text}`, params);
      for (;;) {
        const rows: Array<OverviewSqlRow | undefined> = await runner.query(
          `FETCH ${EXPORT_BATCH} FROM overview_export`,
        );
        const count = rows.length;
        let text = '';
        for (let i = 0; i < count; i++) {
          text += integrationCsvLine(toRow(toFacts(rows[i]!), now));
          rows[i] = undefined;
        }
        if (count) yield text;
        if (count < EXPORT_BATCH) break;
      }
      await runner.query('COMMIT');
      committed = true;
    } finally {
      // A client that hung up mid-download ends here too (the generator is returned early).
      if (!committed) await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }

  /** Tokens issued per platform per UTC day, oldest first, with empty days as zeros. */
  async tokenUsage(query: TokenUsageQuery, now = new Date()): Promise<TokenUsageDto> {
    const days = query.days ?? 14;
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY_MS);
    // Across tenants: the daily rollup the usage triggers keep (30 rows a platform for 30 days);
    // one tenant: its own hourly rows, a primary key range.
    const rows: Array<{ day: string; platform: Platform; count: string }> = query.tenantId
      ? await this.db.query(
          `SELECT to_char(date_trunc('day', hour AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, platform, sum(count) AS count
             FROM token_usage WHERE tenant_id = $2 AND hour >= $1 GROUP BY 1, 2`,
          [start, query.tenantId],
        )
      : await this.db.query(
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, platform, count FROM token_usage_daily WHERE day >= $1::date`,
          [start.toISOString().slice(0, 10)],
        );
    const labels = Array.from({ length: days }, (_, i) =>
      new Date(start.getTime() + i * DAY_MS).toISOString().slice(0, 10),
    );
    const count = (day: string, platform: Platform) =>
      Number(rows.find((r) => r.day === day && r.platform === platform)?.count ?? 0);
    const series = {
      web: labels.map((d) => count(d, 'web')),
      ios: labels.map((d) => count(d, 'ios')),
      android: labels.map((d) => count(d, 'android')),
    };
    return { days: labels, series };
  }
}
