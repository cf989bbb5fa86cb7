import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/config';
import { CoreModule } from './core/core.module';
import { HealthModule } from './health/health.module';
import { InvitationsModule } from './tenants/invitations.module';
import { TenantsModule } from './tenants/tenants.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static register(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, dataSource),
        UsersModule,
        AuthModule,
        TenantsModule,
        InvitationsModule,
        HealthModule,
      ],
    };
  }
}
