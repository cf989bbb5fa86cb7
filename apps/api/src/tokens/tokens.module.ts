import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { ExchangeRoute } from './exchange-route';
import { ExchangeFailureLimiter } from './exchange-failure-limiter.service';
import { ExchangeService } from './exchange.service';
import { IdentityProviderService } from './identity-provider.service';
import { RateLimiterService } from './rate-limiter.service';
import { TenantTokenConfigService } from './tenant-token-config.service';
import { TokenApiController } from './token-api.controller';
import { TestTokenService } from './test-token.service';
import { TokenDebuggerService } from './token-debugger.service';
import { TokenIssuerService } from './token-issuer.service';
import { TokenRoute } from './token-route';
import { UsageCounterService } from './usage-counter.service';
import { VaultModule } from '../vault/vault.module';
import { SIGNING_KEYS } from './signing-keys';
import { VaultSigningKeys } from './vault-signing-keys';

@Module({
  imports: [VaultModule, AuditModule],
  controllers: [TokenApiController, ApiKeysController],
  providers: [
    ApiKeysService,
    RateLimiterService,
    UsageCounterService,
    TenantTokenConfigService,
    TokenIssuerService,
    TokenDebuggerService,
    TestTokenService,
    ExchangeService,
    ExchangeFailureLimiter,
    IdentityProviderService,
    { provide: SIGNING_KEYS, useClass: VaultSigningKeys },
    TokenRoute,
    ExchangeRoute,
  ],
  exports: [
    UsageCounterService,
    TenantTokenConfigService,
    TestTokenService,
    TokenDebuggerService,
    IdentityProviderService,
    ApiKeysService,
  ],
})
export class TokensModule {}
