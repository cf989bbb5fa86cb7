import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { ExchangeFailureLimiter } from './exchange-failure-limiter.service';
import { ExchangeService } from './exchange.service';
import { IdentityProviderService } from './identity-provider.service';
import { RateLimiterService } from './rate-limiter.service';
import { TenantTokenConfigService } from './tenant-token-config.service';
import { TenantTokensController } from './tenant-tokens.controller';
import { TokenApiController } from './token-api.controller';
import { TokenDebuggerService } from './token-debugger.service';
import { TokenIssuerService } from './token-issuer.service';
import { TokenRoute } from './token-route';
import { UsageCounterService } from './usage-counter.service';
import { VaultModule } from '../vault/vault.module';
import { SIGNING_KEYS } from './signing-keys';
import { VaultSigningKeys } from './vault-signing-keys';

@Module({
  imports: [VaultModule, AuditModule],
  controllers: [TokenApiController, ApiKeysController, TenantTokensController],
  providers: [
    ApiKeysService,
    RateLimiterService,
    UsageCounterService,
    TenantTokenConfigService,
    TokenIssuerService,
    TokenDebuggerService,
    ExchangeService,
    ExchangeFailureLimiter,
    IdentityProviderService,
    { provide: SIGNING_KEYS, useClass: VaultSigningKeys },
    TokenRoute,
  ],
  exports: [UsageCounterService, TenantTokenConfigService, ApiKeysService],
})
export class TokensModule {}
