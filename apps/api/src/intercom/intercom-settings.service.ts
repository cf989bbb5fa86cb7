import { Injectable } from '@nestjs/common';
import { SETTINGS_DEFAULTS } from '@messenger-vault/contracts';
import { messengerApiBase, parseAppId, type Platform } from '@messenger-vault/intercom';
import { DataSource, EntityManager } from 'typeorm';
import { TenantEvents } from '../core/tenant-events';
import { validationError } from '../common/errors';
import type { SessionUser } from '../auth/current-user';
import { AuditService } from '../audit/audit.service';
import type { AuditContext } from '../audit/audit-context';
import { AppIdDto, PlatformSecurityDto, SettingsDto, UpdateSettingsDto } from './dto/setup.dto';

interface SettingsRow {
  token_ttl_seconds: number;
  rotation_period_days: number;
  reminder_lead_days: number;
  identity_mode: 'jwt' | 'hmac';
  auto_rotate: boolean;
  settings_saved_at: Date | null;
}

const toSettings = (r: SettingsRow): SettingsDto => ({
  tokenTtlSeconds: r.token_ttl_seconds,
  rotationPeriodDays: r.rotation_period_days,
  reminderLeadDays: r.reminder_lead_days,
  identityMode: r.identity_mode,
  autoRotate: r.auto_rotate,
  savedAt: r.settings_saved_at?.toISOString() ?? null,
});

/** Steps 1, 3, 4 and 5 of the setup: what the tenant tells us about its Intercom workspace. */
@Injectable()
export class IntercomSettingsService {
  constructor(
    private readonly db: DataSource,
    private readonly events: TenantEvents,
    private readonly audit: AuditService,
  ) {}

  async setAppId(tenantId: string, input: string, ctx: AuditContext): Promise<AppIdDto> {
    const parsed = parseAppId(input);
    if (!parsed.ok) throw validationError({ appId: [parsed.message] });
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO intercom_settings (tenant_id, app_id, region) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET app_id = EXCLUDED.app_id, region = EXCLUDED.region, updated_at = now()`,
        [tenantId, parsed.appId, parsed.region],
      );
      await this.events.settingsChanged(tenantId, tx);
      await this.audit.record(
        {
          ...ctx,
          action: 'intercom.app_id.set',
          tenantId,
          target: { type: 'intercom_app', id: parsed.appId },
          metadata: { appId: parsed.appId, region: parsed.region },
        },
        tx,
      );
    });
    return { appId: parsed.appId, region: parsed.region, apiBase: messengerApiBase(parsed.region) };
  }

  async setPlatformSecurity(
    tenantId: string,
    platform: Platform,
    enabled: boolean,
    actor: SessionUser,
    ctx: AuditContext,
  ): Promise<PlatformSecurityDto> {
    return this.db.transaction(async (tx) => {
      const dto = await this.writePlatformSecurity(tx, tenantId, platform, enabled, actor);
      await this.audit.record(
        {
          ...ctx,
          action: 'intercom.platform.changed',
          tenantId,
          target: { type: 'platform', id: platform },
          metadata: { platform, securityEnabled: enabled },
        },
        tx,
      );
      return dto;
    });
  }

  private async writePlatformSecurity(
    tx: EntityManager,
    tenantId: string,
    platform: Platform,
    enabled: boolean,
    actor: SessionUser,
  ): Promise<PlatformSecurityDto> {
    const rows: Array<{ security_enabled: boolean; enabled_at: Date | null }> = await tx.query(
      `INSERT INTO platform_security (tenant_id, platform, security_enabled, enabled_at, updated_by)
       VALUES ($1, $2, $3, CASE WHEN $3 THEN now() END, $4)
       ON CONFLICT (tenant_id, platform) DO UPDATE SET
         security_enabled = EXCLUDED.security_enabled,
         enabled_at = CASE WHEN EXCLUDED.security_enabled THEN coalesce(platform_security.enabled_at, now()) END,
         updated_at = now(), updated_by = EXCLUDED.updated_by
       RETURNING security_enabled, enabled_at`,
      [tenantId, platform, enabled, actor.id],
    );
    const row = rows[0]!;
    return { platform, securityEnabled: row.security_enabled, enabledAt: row.enabled_at?.toISOString() ?? null };
  }

  async settings(tenantId: string): Promise<SettingsDto> {
    const rows: SettingsRow[] = await this.db.query(`SELECT * FROM intercom_settings WHERE tenant_id = $1`, [tenantId]);
    return toSettings(
      rows[0] ?? {
        token_ttl_seconds: SETTINGS_DEFAULTS.tokenTtlSeconds,
        rotation_period_days: SETTINGS_DEFAULTS.rotationPeriodDays,
        reminder_lead_days: SETTINGS_DEFAULTS.reminderLeadDays,
        identity_mode: 'jwt',
        auto_rotate: false,
        settings_saved_at: null,
      },
    );
  }

  /** Steps 4 and 5. Checks the combination against what is stored, so a partial update can't break it. */
  async updateSettings(tenantId: string, change: UpdateSettingsDto, ctx: AuditContext): Promise<SettingsDto> {
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO intercom_settings (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING`, [tenantId]);
      const current: SettingsRow[] = await tx.query(`SELECT * FROM intercom_settings WHERE tenant_id = $1 FOR UPDATE`, [
        tenantId,
      ]);
      const now = current[0]!;
      const period = change.rotationPeriodDays ?? now.rotation_period_days;
      const lead = change.reminderLeadDays ?? now.reminder_lead_days;
      if (lead >= period) {
        const field = change.reminderLeadDays !== undefined ? 'reminderLeadDays' : 'rotationPeriodDays';
        throw validationError({
          [field]: [
            `reminderLeadDays (${lead}) must be smaller than rotationPeriodDays (${period}): reminders start that many days before the rotation date.`,
          ],
        });
      }
      const modeChanged = change.identityMode !== undefined && change.identityMode !== now.identity_mode;
      const [rows]: [SettingsRow[], number] = await tx.query(
        `UPDATE intercom_settings SET
           token_ttl_seconds = coalesce($2, token_ttl_seconds),
           rotation_period_days = $3, reminder_lead_days = $4,
           identity_mode = coalesce($5, identity_mode),
           identity_mode_set_at = CASE WHEN $5::text IS NOT NULL THEN now() ELSE identity_mode_set_at END,
           identity_mode_used_at = CASE WHEN $6 THEN NULL ELSE identity_mode_used_at END,
           auto_rotate = coalesce($7, auto_rotate),
           settings_saved_at = now(), updated_at = now()
         WHERE tenant_id = $1 RETURNING *`,
        [
          tenantId,
          change.tokenTtlSeconds ?? null,
          period,
          lead,
          change.identityMode ?? null,
          modeChanged,
          change.autoRotate ?? null,
        ],
      );
      await this.events.settingsChanged(tenantId, tx);
      await this.audit.record(
        {
          ...ctx,
          action: 'intercom.settings.changed',
          tenantId,
          target: { type: 'settings', id: tenantId },
          metadata: { ...change },
        },
        tx,
      );
      return toSettings(rows[0]!);
    });
  }
}
