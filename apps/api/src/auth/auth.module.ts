import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { VaultModule } from '../vault/vault.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottleService } from './login-throttle.service';
import { MfaController } from './mfa.controller';
import { MfaService } from './mfa.service';
import { OidcProviderConfig } from './oidc/oidc-provider-config.service';
import { OidcController } from './oidc/oidc.controller';
import { OidcService } from './oidc/oidc.service';
import { PasswordChangeService } from './password-change.service';
import { PasswordController } from './password.controller';
import { RecoveryCodesController } from './recovery-codes.controller';
import { RecoveryCodesService } from './recovery-codes.service';
import { SessionsListService } from './sessions-list.service';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [UsersModule, TenantsModule, AuditModule, VaultModule],
  controllers: [
    AuthController,
    MfaController,
    OidcController,
    SessionsController,
    PasswordController,
    RecoveryCodesController,
  ],
  providers: [
    AuthService,
    MfaService,
    SessionsService,
    LoginThrottleService,
    OidcService,
    OidcProviderConfig,
    SessionsListService,
    PasswordChangeService,
    RecoveryCodesService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, SessionsService, MfaService],
})
export class AuthModule {}
