import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeBus } from '../core/change-bus.service';
import { notFound, validationError } from '../common/errors';
import { checkOutboundUrl, outboundPolicy } from '../common/outbound';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { IdentityProviderDto, IdentityProviderResponseDto, JWKS_URL } from './dto/identity-provider.dto';
import { TENANT_CONFIG_TOPIC } from './tenant-token-config.service';
import { AuditService } from '../audit/audit.service';
import type { AuditContext } from '../audit/audit-context';

interface Row {
  issuer: string;
  jwks_url: string;
  audience: string;
  user_id_claim: string;
  email_claim: string | null;
  allowed_origins: string[];
  updated_at: Date;
}

const toDto = (r: Row): IdentityProviderResponseDto => ({
  issuer: r.issuer,
  jwksUrl: r.jwks_url,
  audience: r.audience,
  userIdClaim: r.user_id_claim,
  emailClaim: r.email_claim,
  allowedOrigins: r.allowed_origins,
  updatedAt: r.updated_at.toISOString(),
});

@Injectable()
export class IdentityProviderService {
  constructor(
    private readonly db: DataSource,
    private readonly bus: ChangeBus,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(tenantId: string): Promise<IdentityProviderResponseDto> {
    const rows: Row[] = await this.db.query(`SELECT * FROM identity_providers WHERE tenant_id = $1`, [tenantId]);
    if (!rows[0]) throw notFound('Identity provider configuration');
    return toDto(rows[0]);
  }

  async put(tenantId: string, dto: IdentityProviderDto, ctx: AuditContext): Promise<IdentityProviderResponseDto> {
    // The exchange fetches this URL for anonymous callers: in production it must lead to a public address.
    const jwks = await checkOutboundUrl(dto.jwksUrl, JWKS_URL, outboundPolicy(this.config));
    if (!jwks.ok) throw validationError({ jwksUrl: [jwks.message] });
    return this.db.transaction(async (tx) => {
      const rows: Row[] = await tx.query(
        `INSERT INTO identity_providers (tenant_id, issuer, jwks_url, audience, user_id_claim, email_claim, allowed_origins, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer, jwks_url = EXCLUDED.jwks_url, audience = EXCLUDED.audience,
           user_id_claim = EXCLUDED.user_id_claim, email_claim = EXCLUDED.email_claim, allowed_origins = EXCLUDED.allowed_origins, updated_at = now()
         RETURNING *`,
        [
          tenantId,
          dto.issuer,
          jwks.url,
          dto.audience,
          dto.userIdClaim ?? 'sub',
          dto.emailClaim ?? null,
          [...new Set(dto.allowedOrigins ?? [])],
        ],
      );
      await this.bus.publish(TENANT_CONFIG_TOPIC, tenantId, tx);
      const saved = toDto(rows[0]!);
      await this.audit.record(
        {
          ...ctx,
          action: 'identity_provider.changed',
          tenantId,
          target: { type: 'identity_provider', id: tenantId },
          metadata: {
            issuer: saved.issuer,
            audience: saved.audience,
            jwksUrl: saved.jwksUrl,
            allowedOrigins: saved.allowedOrigins ?? [],
          },
        },
        tx,
      );
      return saved;
    });
  }
}
