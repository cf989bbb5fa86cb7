import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { VaultModule } from '../vault/vault.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [UsersModule, VaultModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
