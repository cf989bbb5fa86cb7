import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/config';
import { CoreModule } from './core/core.module';
import { HealthModule } from './health/health.module';
import { IntercomModule } from './intercom/intercom.module';
import { IntercomRotationModule } from './intercom-rotation/intercom-rotation.module';
import { MetricsModule } from './metrics/metrics.module';
import { RotationModule } from './rotation/rotation.module';
import { InvitationsModule } from './tenants/invitations.module';
import { TenantsModule } from './tenants/tenants.module';
import { StaffModule } from './staff/staff.module';
import { TokensModule } from './tokens/tokens.module';
import { UsersModule } from './users/users.module';
import { VaultModule } from './vault/vault.module';

@Module({})
export class AppModule {
  static register(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, dataSource),
        UsersModule,
        AuditModule,
        AuthModule,
        TenantsModule,
        InvitationsModule,
        VaultModule,
        IntercomModule,
        IntercomRotationModule,
        TokensModule,
        StaffModule,
        RotationModule,
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
