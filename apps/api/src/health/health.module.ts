import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [UsersModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
