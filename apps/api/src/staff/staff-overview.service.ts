import { Injectable } from '@nestjs/common';
import { PLATFORMS, type Platform } from '@messenger-vault/intercom';
import { DataSource } from 'typeorm';
import { validationError } from '../common/errors';
import { IntegrationFacts, IntegrationFactsService } from '../intercom/integration-facts.service';
import { setupStatus } from '../intercom/setup-status';
import {
  IntegrationPageDto,
  IntegrationRowDto,
  IntegrationsQuery,
  TokenUsageDto,
  TokenUsageQuery,
} from './dto/staff.dto';

const DAY_MS = 86_400_000;

function toRow(f: IntegrationFacts, now: Date): IntegrationRowDto {
  const { steps, problems } = setupStatus(f, now);
  const codes = new Set(problems.map((p) => p.code));
  const lastTokenAt =
    PLATFORMS.map((p) => f.platforms[p].lastTokenAt)
      .filter((x): x is string => x !== null)
      .sort()
      .pop() ?? null;
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
    rotationStatus: !f.rotationDueAt
      ? 'none'
      : codes.has('rotation_overdue')
        ? 'overdue'
        : codes.has('rotation_due_soon')
          ? 'due_soon'
          : 'ok',
    platforms: f.platforms,
    tokensLast24h: PLATFORMS.reduce((n, p) => n + f.platforms[p].tokensLast24h, 0),
    lastTokenAt,
    stepsDone: steps.filter((s) => s.done).length,
    problems,
  };
}

const SORT_KEYS: Record<NonNullable<IntegrationsQuery['sort']>, (r: IntegrationRowDto) => string | number> = {
  name: (r) => r.tenantName.toLowerCase(),
  // Missing dates sort last in ascending order.
  rotationDueAt: (r) => r.rotationDueAt ?? '9999',
  lastTokenAt: (r) => r.lastTokenAt ?? '',
  tokensLast24h: (r) => r.tokensLast24h,
  problems: (r) => r.problems.filter((p) => p.severity !== 'info').length,
};

/**
 * The staff overview: one row per live tenant, built from the same facts and the same
 * `setupStatus` rules as each tenant's own setup page, so the two never disagree.
 */
@Injectable()
export class StaffOverviewService {
  constructor(
    private readonly facts: IntegrationFactsService,
    private readonly db: DataSource,
  ) {}

  async integrations(query: IntegrationsQuery, now = new Date()): Promise<IntegrationPageDto> {
    let rows = (await this.facts.all()).map((f) => toRow(f, now));
    if (query.problem) {
      const wanted = new Set(query.problem.split(','));
      rows = rows.filter((r) => r.problems.some((p) => wanted.has(p.code)));
    }
    if (query.q) {
      const q = query.q.toLowerCase();
      rows = rows.filter((r) => r.tenantName.toLowerCase().includes(q) || (r.appId ?? '').includes(q));
    }
    const key = SORT_KEYS[query.sort ?? 'name'];
    const dir = query.order === 'desc' ? -1 : 1;
    rows.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x < y ? -dir : x > y ? dir : a.tenantId.localeCompare(b.tenantId);
    });
    const offset = decodeOffset(query.cursor);
    const limit = query.limit ?? 100;
    const items = rows.slice(offset, offset + limit);
    return {
      items,
      nextCursor: offset + limit < rows.length ? encodeOffset(offset + limit) : null,
      total: rows.length,
    };
  }

  /** Tokens issued per platform per UTC day, oldest first, with empty days as zeros. */
  async tokenUsage(query: TokenUsageQuery, now = new Date()): Promise<TokenUsageDto> {
    const days = query.days ?? 14;
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY_MS);
    const rows: Array<{ day: string; platform: Platform; count: string }> = await this.db.query(
      `SELECT to_char(date_trunc('day', hour AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, platform, sum(count) AS count
         FROM token_usage WHERE hour >= $1 AND ($2::uuid IS NULL OR tenant_id = $2)
        GROUP BY 1, 2`,
      [start, query.tenantId ?? null],
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

// Rows are computed, filtered and sorted in memory, so the cursor is a position in that order.
function encodeOffset(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^o:(\d{1,7})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw validationError({
      cursor: ['cursor is not one this API issued; pass back nextCursor from the previous page unchanged.'],
    });
  return Number(match[1]);
}
