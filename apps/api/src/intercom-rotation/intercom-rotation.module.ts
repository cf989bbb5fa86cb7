import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RotationModule } from '../rotation/rotation.module';
import { VaultModule } from '../vault/vault.module';
import { AutoRotation } from './auto-rotation';
import { IntercomRotationController } from './intercom-rotation.controller';
import { IntercomRotationsService } from './intercom-rotations.service';
import { RotationQueue } from './rotation-queue';
import { RotationRunner } from './rotation-runner';

/**
 * Automated rotation of a tenant's Intercom Messenger secret (issue 14): the routes under
 * `/api/tenants/:tenantId/intercom/rotations`, the state machine and its pg-boss queue.
 */
@Module({
  imports: [VaultModule, AuditModule, RotationModule],
  controllers: [IntercomRotationController],
  providers: [IntercomRotationsService, RotationRunner, RotationQueue, AutoRotation],
  exports: [IntercomRotationsService],
})
export class IntercomRotationModule {}
