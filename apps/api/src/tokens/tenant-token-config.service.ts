import { Injectable, OnModuleInit } from '@nestjs/common';
import type { IdentityMode, Region } from '@messenger-vault/intercom';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { ChangeBus } from '../core/change-bus.service';

export const TENANT_CONFIG_TOPIC = 'tenant_config';

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
}

const TTL_MS = 60_000;
// The exchange endpoint is anonymous and takes any tenant id: ids that name no live tenant are
// remembered apart, briefly and in a small cache, so that random ids can neither grow memory nor
// push real tenants out.
const MAX_TENANTS = 50_000;
const MAX_MISSES = 10_000;
const MISS_TTL_MS = 5_000;

/**
 * What issuing a token needs to know about a tenant, held in memory. Whoever changes the
 * settings publishes `tenant_config:<tenantId>` on the change bus, so every replica reloads.
 */
@Injectable()
export class TenantTokenConfigService implements OnModuleInit {
  private readonly cache = new LRUCache<string, { value: TenantTokenConfig; until: number }>({ max: MAX_TENANTS });
  private readonly misses = new LRUCache<string, { value: TenantTokenConfig; until: number }>({ max: MAX_MISSES });

  constructor(
    private readonly db: DataSource,
    private readonly bus: ChangeBus,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(TENANT_CONFIG_TOPIC, (tenantId) => {
      if (tenantId === '*') {
        this.cache.clear();
        this.misses.clear();
      } else {
        this.cache.delete(tenantId);
        this.misses.delete(tenantId);
      }
    });
  }

  async get(tenantId: string): Promise<TenantTokenConfig> {
    const hit = this.cache.get(tenantId) ?? this.misses.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = await this.load(tenantId);
    if (value.live) this.cache.set(tenantId, { value, until: Date.now() + TTL_MS });
    else this.misses.set(tenantId, { value, until: Date.now() + MISS_TTL_MS });
    return value;
  }

  private async load(tenantId: string): Promise<TenantTokenConfig> {
    const rows: Array<{
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
    }> = await this.db.query(
      `SELECT t.archived_at, s.app_id, s.region, s.identity_mode, s.token_ttl_seconds,
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
      tokenTtlSeconds: r?.token_ttl_seconds ?? 3600,
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
    };
  }
}
