import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { VaultModule } from '../vault/vault.module';
import { IntercomRotationController } from './intercom-rotation.controller';
import { IntercomRotationsService } from './intercom-rotations.service';
import { RotationQueue } from './rotation-queue';
import { RotationRunner } from './rotation-runner';

/**
 * Automated rotation of a tenant's Intercom Messenger secret (issue 14): the routes under
 * `/api/tenants/:tenantId/intercom/rotations`, the state machine and its pg-boss queue.
 */
@Module({
  imports: [VaultModule, AuditModule],
  controllers: [IntercomRotationController],
  providers: [IntercomRotationsService, RotationRunner, RotationQueue],
  exports: [IntercomRotationsService],
})
export class IntercomRotationModule {}
