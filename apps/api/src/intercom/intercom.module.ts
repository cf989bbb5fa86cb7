import { Module } from '@nestjs/common';
import { VaultModule } from '../vault/vault.module';
import { AuditModule } from '../audit/audit.module';
import { IntercomController } from './intercom.controller';
import { IntercomService } from './intercom.service';
import { IntercomSettingsService } from './intercom-settings.service';
import { IntegrationFactsService } from './integration-facts.service';
import { SetupController } from './setup.controller';

/** Connecting a tenant's Intercom: the setup steps and their status. */
@Module({
  imports: [VaultModule, AuditModule],
  controllers: [IntercomController, SetupController],
  providers: [IntercomService, IntercomSettingsService, IntegrationFactsService],
  exports: [IntercomSettingsService, IntegrationFactsService],
})
export class IntercomModule {}
