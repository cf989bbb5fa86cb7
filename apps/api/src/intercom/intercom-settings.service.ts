import { Injectable } from '@nestjs/common';
import {
  CUSTOM_ATTRIBUTE_NAME_PATTERN,
  RESERVED_ATTRIBUTE_NAMES,
  SETTINGS_DEFAULTS,
  type CustomAttributeRule,
} from '@messenger-vault/contracts';
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
  custom_attributes: CustomAttributeRule[];
  session_duration_seconds: number | null;
  declared_platforms: Platform[] | null;
  allow_email_user_ids: boolean;
}

const toSettings = (r: SettingsRow): SettingsDto => ({
  tokenTtlSeconds: r.token_ttl_seconds,
  rotationPeriodDays: r.rotation_period_days,
  reminderLeadDays: r.reminder_lead_days,
  identityMode: r.identity_mode,
  autoRotate: r.auto_rotate,
  savedAt: r.settings_saved_at?.toISOString() ?? null,
  customAttributes: r.custom_attributes,
  sessionDurationSeconds: r.session_duration_seconds,
  declaredPlatforms: r.declared_platforms,
  allowEmailUserIds: r.allow_email_user_ids,
});

const STEP_4_AND_5_FIELDS = [
  'tokenTtlSeconds',
  'rotationPeriodDays',
  'reminderLeadDays',
  'identityMode',
  'customAttributes',
  'sessionDurationSeconds',
  'autoRotate',
] as const satisfies ReadonlyArray<keyof UpdateSettingsDto>;

/** What the DTO cannot say alone: the name's shape, reserved names, duplicates, a length cap on a non-string. */
function checkAllowList(rules: readonly CustomAttributeRule[]): CustomAttributeRule[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    const label = `customAttributes[${i}] ("${rule.name.slice(0, 64)}")`;
    if (RESERVED_ATTRIBUTE_NAMES.has(rule.name))
      problems.push(
        `${label}: "${rule.name}" is reserved (set by the token or by Intercom itself); choose another name.`,
      );
    else if (!CUSTOM_ATTRIBUTE_NAME_PATTERN.test(rule.name))
      problems.push(
        `${label}: a name starts with a letter and holds only letters, digits and underscores, like plan_tier.`,
      );
    else if (seen.has(rule.name)) problems.push(`${label}: "${rule.name}" is listed twice.`);
    if (rule.type !== 'string' && rule.maxLength !== undefined)
      problems.push(`${label}: maxLength applies to string attributes only.`);
    seen.add(rule.name);
  }
  if (problems.length > 0) throw validationError({ customAttributes: problems });
  return rules.map((r) => ({
    name: r.name,
    type: r.type,
    ...(r.maxLength !== undefined ? { maxLength: r.maxLength } : {}),
  }));
}

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
        custom_attributes: [],
        session_duration_seconds: null,
        declared_platforms: null,
        allow_email_user_ids: false,
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
      const allowList = change.customAttributes ? checkAllowList(change.customAttributes) : null;
      // Step 4 is done once its policy is saved; declaring platforms (step 3) or the email
      // opt-in (step 5) alone does not save it.
      const savesPolicy = STEP_4_AND_5_FIELDS.some((field) => change[field] !== undefined);
      const [rows]: [SettingsRow[], number] = await tx.query(
        `UPDATE intercom_settings SET
           token_ttl_seconds = coalesce($2, token_ttl_seconds),
           rotation_period_days = $3, reminder_lead_days = $4,
           identity_mode = coalesce($5, identity_mode),
           identity_mode_set_at = CASE WHEN $5::text IS NOT NULL THEN now() ELSE identity_mode_set_at END,
           identity_mode_used_at = CASE WHEN $6 THEN NULL ELSE identity_mode_used_at END,
           custom_attributes = coalesce($7::jsonb, custom_attributes),
           session_duration_seconds = CASE WHEN $8 THEN $9::integer ELSE session_duration_seconds END,
           declared_platforms = coalesce($10::text[], declared_platforms),
           allow_email_user_ids = coalesce($11, allow_email_user_ids),
           auto_rotate = coalesce($12, auto_rotate),
           settings_saved_at = CASE WHEN $13 THEN now() ELSE settings_saved_at END, updated_at = now()
         WHERE tenant_id = $1 RETURNING *`,
        [
          tenantId,
          change.tokenTtlSeconds ?? null,
          period,
          lead,
          change.identityMode ?? null,
          modeChanged,
          allowList ? JSON.stringify(allowList) : null,
          change.sessionDurationSeconds !== undefined,
          change.sessionDurationSeconds ?? null,
          change.declaredPlatforms ?? null,
          change.allowEmailUserIds ?? null,
          change.autoRotate ?? null,
          savesPolicy,
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
      // An opt-out of a safety check gets its own entry, so the trail answers "who allowed this".
      if (change.allowEmailUserIds !== undefined && change.allowEmailUserIds !== now.allow_email_user_ids) {
        await this.audit.record(
          {
            ...ctx,
            action: change.allowEmailUserIds ? 'intercom.email_user_ids.allowed' : 'intercom.email_user_ids.refused',
            tenantId,
            target: { type: 'settings', id: tenantId },
            metadata: { allowEmailUserIds: change.allowEmailUserIds },
          },
          tx,
        );
      }
      return toSettings(rows[0]!);
    });
  }
}
