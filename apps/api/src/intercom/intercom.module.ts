import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module';
import { VaultModule } from '../vault/vault.module';
import { AuditModule } from '../audit/audit.module';
import { TenantsModule } from '../tenants/tenants.module';
import { IntercomController } from './intercom.controller';
import { IntercomConnectionController } from './intercom-connection.controller';
import { IntercomConnectionService } from './intercom-connection.service';
import { IntercomOAuthController } from './intercom-oauth.controller';
import { IntercomOAuthService } from './intercom-oauth.service';
import { IntercomSecretLinksController } from './intercom-secret-links.controller';
import { IntercomSecretLinksService } from './intercom-secret-links.service';
import { IntercomService } from './intercom.service';
import { IntercomSettingsService } from './intercom-settings.service';
import { IntegrationFactsService } from './integration-facts.service';
import { SecretsController } from './secrets.controller';
import { SetupController } from './setup.controller';
import { TenantTokensController } from './tenant-tokens.controller';

/**
 * Connecting a tenant's Intercom: the setup steps and their status, and every route under
 * `/api/tenants/:tenantId/intercom` (ARCHITECTURE.md, "One URL tree, one folder"); the secret's
 * and the tokens' services stay in `vault/` and `tokens/`.
 */
@Module({
  imports: [VaultModule, TokensModule, AuditModule, TenantsModule],
  controllers: [
    IntercomController,
    SetupController,
    SecretsController,
    TenantTokensController,
    IntercomConnectionController,
    IntercomOAuthController,
    IntercomSecretLinksController,
  ],
  providers: [
    IntercomService,
    IntercomSettingsService,
    IntegrationFactsService,
    IntercomConnectionService,
    IntercomOAuthService,
    IntercomSecretLinksService,
  ],
  exports: [IntercomSettingsService, IntegrationFactsService, IntercomConnectionService],
})
export class IntercomModule {}
