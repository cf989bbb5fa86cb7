import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottleService } from './login-throttle.service';
import { SessionsService } from './sessions.service';

@Module({
  imports: [UsersModule, TenantsModule, AuditModule],
  controllers: [AuthController],
  providers: [AuthService, SessionsService, LoginThrottleService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AuthService, SessionsService],
})
export class AuthModule {}
