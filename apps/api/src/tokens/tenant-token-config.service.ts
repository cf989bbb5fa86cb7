import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { SETTINGS_DEFAULTS, type CustomAttributeRule } from '@messenger-vault/contracts';
import type { IdentityMode, Region } from '@messenger-vault/intercom';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ALL_KEYS, ChangeBus } from '../core/change-bus.service';
import { TenantEvents } from '../core/tenant-events';
import { DatabaseHealth } from '../core/database-health.service';
import { VerifiedCache } from '../core/verified-cache';
import { compileTokenPolicy, DEFAULT_TOKEN_POLICY, type TokenRequestPolicy } from './token-policy';

export interface IdentityProviderConfig {
  issuer: string;
  jwksUrl: string;
  audience: string;
  userIdClaim: string;
  emailClaim: string | null;
  allowedOrigins: string[];
}

export interface TenantTokenConfig {
  tenantId: string;
  live: boolean;
  appId: string | null;
  region: Region;
  identityMode: IdentityMode;
  tokenTtlSeconds: number;
  identityProvider: IdentityProviderConfig | null;
  /** The allow-list and the email-user-id opt-in, compiled once per load (decision 0043). */
  policy: TokenRequestPolicy;
  /** The Messenger's session_duration in seconds; null leaves Intercom's default. */
  sessionDurationSeconds: number | null;
}

const TTL_MS = 60_000;
/** While the change bus is deaf, settings read from the database are trusted this long only. */
const DEAF_TTL_MS = 1_000;
// The exchange endpoint is anonymous and takes any tenant id: ids that name no live tenant are
// remembered apart, briefly and in a small space, so random ids can neither grow memory nor
// push real tenants out.
const MAX_CACHED_TENANTS = 100_000;
const MAX_CACHED_MISSES = 10_000;
const MISS_TTL_MS = 5_000;

/**
 * What issuing a token needs to know about a tenant, held in memory. It listens for
 * `TenantEvents#settingsChanged`, so every replica reloads whatever changed the settings.
 */
@Injectable()
export class TenantTokenConfigService implements OnModuleInit {
  private readonly cache: VerifiedCache<string, TenantTokenConfig>;

  /** How the cache answered lookups, read by /metrics. */
  get cacheStats(): Readonly<VerifiedCache<unknown, unknown>['stats']> {
    return this.cache.stats;
  }

  constructor(
    private readonly health: DatabaseHealth,
    private readonly events: TenantEvents,
    bus: ChangeBus,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new VerifiedCache(health, {
      freshMs: (value) => (!value.live ? MISS_TTL_MS : bus.listening ? TTL_MS : DEAF_TTL_MS),
      staleMs: config.tokenStaleSeconds * 1000,
      listening: () => bus.listening,
      max: MAX_CACHED_TENANTS,
      isMiss: (value) => !value.live,
      maxMisses: MAX_CACHED_MISSES,
    });
  }

  onModuleInit(): void {
    this.events.onSettingsChanged((tenantId) =>
      tenantId === ALL_KEYS ? this.cache.markAllStale() : this.cache.delete(tenantId),
    );
  }

  /** From memory in the steady state; while the database is unreachable, what it said within TOKEN_STALE_SECONDS. */
  get(tenantId: string): Promise<TenantTokenConfig> {
    return this.cache.get(tenantId, () => this.load(tenantId));
  }

  /** `get` without a promise while the tenant's entry is fresh in memory; undefined otherwise. */
  fromMemory(tenantId: string): TenantTokenConfig | undefined {
    return this.cache.peek(tenantId);
  }

  private async load(tenantId: string): Promise<TenantTokenConfig> {
    const rows = await this.health.hotQuery<{
      archived_at: Date | null;
      app_id: string | null;
      region: Region | null;
      identity_mode: IdentityMode | null;
      token_ttl_seconds: number | null;
      issuer: string | null;
      jwks_url: string | null;
      audience: string | null;
      user_id_claim: string | null;
      email_claim: string | null;
      allowed_origins: string[] | null;
      custom_attributes: CustomAttributeRule[] | null;
      session_duration_seconds: number | null;
      allow_email_user_ids: boolean | null;
    }>(
      `SELECT t.archived_at, s.app_id, s.region, s.identity_mode, s.token_ttl_seconds,
              s.custom_attributes, s.session_duration_seconds, s.allow_email_user_ids,
              i.issuer, i.jwks_url, i.audience, i.user_id_claim, i.email_claim, i.allowed_origins
         FROM tenants t
         LEFT JOIN intercom_settings s ON s.tenant_id = t.id
         LEFT JOIN identity_providers i ON i.tenant_id = t.id
        WHERE t.id = $1`,
      [tenantId],
    );
    const r = rows[0];
    return {
      tenantId,
      live: !!r && r.archived_at === null,
      appId: r?.app_id ?? null,
      region: r?.region ?? 'us',
      identityMode: r?.identity_mode ?? 'jwt',
      tokenTtlSeconds: r?.token_ttl_seconds ?? SETTINGS_DEFAULTS.tokenTtlSeconds,
      identityProvider:
        r?.issuer && r.jwks_url && r.audience
          ? {
              issuer: r.issuer,
              jwksUrl: r.jwks_url,
              audience: r.audience,
              userIdClaim: r.user_id_claim ?? 'sub',
              emailClaim: r.email_claim,
              allowedOrigins: r.allowed_origins ?? [],
            }
          : null,
      policy:
        r && (r.allow_email_user_ids || r.custom_attributes?.length)
          ? compileTokenPolicy(!!r.allow_email_user_ids, r.custom_attributes ?? [])
          : DEFAULT_TOKEN_POLICY,
      sessionDurationSeconds: r?.session_duration_seconds ?? null,
    };
  }
}
