import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { InvitationsService } from './invitations.service';
import { TenantAccessService } from './tenant-access.service';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  imports: [UsersModule, AuditModule],
  controllers: [TenantsController],
  providers: [TenantsService, InvitationsService, TenantAccessService],
  exports: [TenantsService, InvitationsService, TenantAccessService],
})
export class TenantsModule {}
