import { Injectable } from '@nestjs/common';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { TestTokenDto, TestTokenResultDto } from './dto/identity-provider.dto';
import { TenantTokenConfigService } from './tenant-token-config.service';
import { TokenIssuerService } from './token-issuer.service';
import { parseTokenRequest } from './token-request';

/** The wizard's "try it" step: a real token for a test user, in the tenant's identity mode. */
@Injectable()
export class TestTokenService {
  constructor(
    private readonly issuer: TokenIssuerService,
    private readonly audit: AuditService,
    private readonly configs: TenantTokenConfigService,
  ) {}

  async issue(tenantId: string, body: TestTokenDto, ctx: AuditContext): Promise<TestTokenResultDto> {
    const request = parseTokenRequest(body, (await this.configs.get(tenantId)).policy);
    const issued = await this.issuer.issue(tenantId, request, { count: false });
    // A test token is a real token that Intercom accepts for that user: who minted one, for whom,
    // is in the trail. The token itself never is.
    await this.audit.record({
      ...ctx,
      action: 'token.test_issued',
      tenantId,
      target: { type: 'platform', id: request.platform },
      metadata: {
        userId: request.userId,
        platform: request.platform,
        mode: issued.mode,
        secretVersion: issued.version,
      },
    });
    return issued.mode === 'jwt'
      ? {
          mode: 'jwt',
          token: issued.token,
          expiresAt: issued.expiresAt,
          appId: issued.appId,
          keyVersion: issued.version,
        }
      : { mode: 'hmac', userHash: issued.userHash, appId: issued.appId, keyVersion: issued.version };
  }
}
