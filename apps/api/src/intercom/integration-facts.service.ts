import { Injectable } from '@nestjs/common';
import { SETTINGS_DEFAULTS, rotationDueAt, type CustomAttributeRule } from '@messenger-vault/contracts';
import { PLATFORMS, type IdentityMode, type Platform, type Region } from '@messenger-vault/intercom';
import { DataSource } from 'typeorm';
import { PlatformEvidence, SetupFacts } from './setup-status';

export interface IntegrationFacts extends SetupFacts {
  tenantId: string;
  tenantName: string;
  region: Region;
  tokenTtlSeconds: number;
  rotationPeriodDays: number;
  /** The newest version that signs for some platform, and the oldest one (the first due). */
  newestSecret: { version: number; createdAt: Date } | null;
  oldestActiveSecretAt: Date | null;
  customAttributes: CustomAttributeRule[];
  sessionDurationSeconds: number | null;
  allowEmailUserIds: boolean;
  /** Due versions are rotated through the Intercom connection by the reminder job. */
  autoRotate: boolean;
}

interface TenantRow {
  id: string;
  name: string;
  app_id: string | null;
  region: Region | null;
  identity_mode: IdentityMode | null;
  token_ttl_seconds: number | null;
  rotation_period_days: number | null;
  reminder_lead_days: number | null;
  settings_saved_at: Date | null;
  identity_mode_set_at: Date | null;
  identity_mode_used_at: Date | null;
  auto_rotate: boolean | null;
  newest_version: number | null;
  newest_created_at: Date | null;
  oldest_active_at: Date | null;
  declared_platforms: Platform[] | null;
  custom_attributes: CustomAttributeRule[] | null;
  session_duration_seconds: number | null;
  allow_email_user_ids: boolean | null;
  intercom_broken_at: Date | null;
  intercom_broken_reason: string | null;
}

/**
 * Everything a tenant's setup status is computed from, in three queries. (The staff overview
 * reads the same facts for every tenant in one query: staff/overview-query.ts.)
 */
@Injectable()
export class IntegrationFactsService {
  constructor(private readonly db: DataSource) {}

  async forTenant(tenantId: string): Promise<IntegrationFacts | null> {
    return (await this.load([tenantId]))[0] ?? null;
  }

  private async load(tenantIds: string[]): Promise<IntegrationFacts[]> {
    const filter = 't.id = ANY($1::uuid[])';
    const params = [tenantIds];
    const tenants: TenantRow[] = await this.db.query(
      `SELECT t.id, t.name, s.app_id, s.region, s.identity_mode, s.token_ttl_seconds, s.rotation_period_days, s.reminder_lead_days,
              s.settings_saved_at, s.identity_mode_set_at, s.identity_mode_used_at, s.declared_platforms,
              s.custom_attributes, s.session_duration_seconds, s.allow_email_user_ids, s.auto_rotate,
              v.newest_version, v.newest_created_at, v.oldest_active_at,
              c.broken_at AS intercom_broken_at, c.broken_reason AS intercom_broken_reason
         FROM tenants t
         LEFT JOIN intercom_settings s ON s.tenant_id = t.id
         LEFT JOIN intercom_connections c ON c.tenant_id = t.id
         LEFT JOIN LATERAL (
           SELECT max(version) AS newest_version,
                  (array_agg(created_at ORDER BY version DESC))[1] AS newest_created_at,
                  min(created_at) AS oldest_active_at
             FROM secret_versions WHERE tenant_id = t.id AND state = 'active'
         ) v ON true
        WHERE ${filter}
        ORDER BY t.name, t.id`,
      params,
    );
    if (tenants.length === 0) return [];
    const ids = tenants.map((t) => t.id);
    const security: Array<{
      tenant_id: string;
      platform: Platform;
      security_enabled: boolean;
      enabled_at: Date | null;
    }> = await this.db.query(
      `SELECT tenant_id, platform, security_enabled, enabled_at FROM platform_security WHERE tenant_id = ANY($1::uuid[])`,
      [ids],
    );
    const usage: Array<{ tenant_id: string; platform: Platform; last24h: string | null; last_token_at: Date | null }> =
      await this.db.query(
        `SELECT tenant_id, platform,
              sum(count) FILTER (WHERE hour > date_trunc('hour', now()) - interval '24 hours') AS last24h,
              max(last_token_at) AS last_token_at
         FROM token_usage WHERE tenant_id = ANY($1::uuid[]) GROUP BY tenant_id, platform`,
        [ids],
      );
    return tenants.map((t) => {
      const platforms = {} as Record<Platform, PlatformEvidence>;
      for (const p of PLATFORMS) {
        const sec = security.find((s) => s.tenant_id === t.id && s.platform === p);
        const use = usage.find((u) => u.tenant_id === t.id && u.platform === p);
        platforms[p] = {
          securityEnabled: sec?.security_enabled ?? false,
          enabledAt: sec?.enabled_at?.toISOString() ?? null,
          lastTokenAt: use?.last_token_at?.toISOString() ?? null,
          tokensLast24h: Number(use?.last24h ?? 0),
        };
      }
      const period = t.rotation_period_days ?? SETTINGS_DEFAULTS.rotationPeriodDays;
      return {
        tenantId: t.id,
        tenantName: t.name,
        appId: t.app_id,
        region: t.region ?? 'us',
        identityMode: t.identity_mode ?? 'jwt',
        tokenTtlSeconds: t.token_ttl_seconds ?? SETTINGS_DEFAULTS.tokenTtlSeconds,
        rotationPeriodDays: period,
        reminderLeadDays: t.reminder_lead_days ?? SETTINGS_DEFAULTS.reminderLeadDays,
        settingsSavedAt: t.settings_saved_at,
        identityModeSetAt: t.identity_mode_set_at,
        identityModeUsedAt: t.identity_mode_used_at,
        newestSecret:
          t.newest_version !== null && t.newest_created_at
            ? { version: t.newest_version, createdAt: t.newest_created_at }
            : null,
        oldestActiveSecretAt: t.oldest_active_at,
        autoRotate: t.auto_rotate ?? false,
        // Rotation is judged by the oldest key still signing: it is the first one due.
        rotationDueAt: t.oldest_active_at ? rotationDueAt(t.oldest_active_at, period) : null,
        platforms,
        // In PLATFORMS order, whatever order they were declared in.
        declaredPlatforms: t.declared_platforms ? PLATFORMS.filter((p) => t.declared_platforms!.includes(p)) : null,
        customAttributes: t.custom_attributes ?? [],
        sessionDurationSeconds: t.session_duration_seconds,
        allowEmailUserIds: t.allow_email_user_ids ?? false,
        intercomBroken: t.intercom_broken_at
          ? { at: t.intercom_broken_at, reason: t.intercom_broken_reason ?? 'Intercom answered 401' }
          : null,
      };
    });
  }
}
