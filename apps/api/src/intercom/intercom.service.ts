import { Injectable } from '@nestjs/common';
import { messengerApiBase } from '@messenger-vault/intercom';
import { AuditService } from '../audit/audit.service';
import type { AuditContext } from '../audit/audit-context';
import { notFound } from '../common/errors';
import { SecretVersionsService } from '../vault/secret-versions.service';
import { IntercomSetupDto } from './dto/intercom.dto';
import { IntegrationFactsService } from './integration-facts.service';
import { setupStatus } from './setup-status';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;
// The wizard re-reads the setup after every change; one audit event per staff member and
// tenant in this window is enough to answer "who looked at this integration".
const VIEW_AUDIT_WINDOW_MS = 10 * 60_000;

/** The tenant's Intercom setup as the wizard shows it: settings, secrets, evidence, steps, problems. */
@Injectable()
export class IntercomService {
  private readonly recentStaffViews = new Map<string, number>();

  constructor(
    private readonly secretVersions: SecretVersionsService,
    private readonly facts: IntegrationFactsService,
    private readonly audit: AuditService,
  ) {}

  async setup(tenantId: string, ctx: AuditContext, now = new Date()): Promise<IntercomSetupDto> {
    const [facts, secrets] = await Promise.all([this.facts.forTenant(tenantId), this.secretVersions.list(tenantId)]);
    if (!facts) throw notFound('Tenant');
    if (ctx.actor.kind === 'staff') await this.recordStaffView(tenantId, ctx, now);
    const newest = secrets.find((v) => v.state === 'active');
    const { steps, problems } = setupStatus(facts, now);
    return {
      appId: facts.appId,
      region: facts.region,
      apiBase: messengerApiBase(facts.region),
      identityMode: facts.identityMode,
      tokenTtlSeconds: facts.tokenTtlSeconds,
      rotationPeriodDays: facts.rotationPeriodDays,
      reminderLeadDays: facts.reminderLeadDays,
      autoRotate: facts.autoRotate,
      settingsSavedAt: facts.settingsSavedAt?.toISOString() ?? null,
      customAttributes: facts.customAttributes,
      sessionDurationSeconds: facts.sessionDurationSeconds,
      declaredPlatforms: facts.declaredPlatforms ?? null,
      allowEmailUserIds: facts.allowEmailUserIds,
      secret: newest
        ? {
            version: newest.version,
            fingerprint: newest.fingerprint,
            last4: newest.last4,
            createdAt: newest.createdAt,
            rotationDueAt: newest.rotationDueAt!,
          }
        : null,
      secrets,
      platforms: facts.platforms,
      steps,
      problems: [...problems].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]),
    };
  }

  private async recordStaffView(tenantId: string, ctx: AuditContext, now: Date): Promise<void> {
    const key = `${ctx.actor.userId}:${tenantId}`;
    const last = this.recentStaffViews.get(key);
    if (last !== undefined && now.getTime() - last < VIEW_AUDIT_WINDOW_MS) return;
    this.recentStaffViews.set(key, now.getTime());
    await this.audit.record({
      ...ctx,
      action: 'staff.viewed_integration',
      tenantId,
      target: { type: 'tenant', id: tenantId },
    });
  }
}
