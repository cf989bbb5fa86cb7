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
import { SessionsService } from './sessions.service';
import { StepUpController } from './step-up.controller';
import { StepUpGuard } from './step-up.guard';
import { StepUpService } from './step-up.service';
import { PasskeySignInController } from './webauthn/passkey-sign-in.controller';
import { PasskeysController } from './webauthn/passkeys.controller';
import { PasskeysService } from './webauthn/passkeys.service';

@Module({
  imports: [UsersModule, TenantsModule, AuditModule, VaultModule],
  controllers: [AuthController, MfaController, PasskeysController, PasskeySignInController, StepUpController],
  providers: [
    AuthService,
    MfaService,
    SessionsService,
    LoginThrottleService,
    PasskeysService,
    StepUpService,
    StepUpGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, SessionsService, MfaService, PasskeysService, StepUpService, StepUpGuard],
})
export class AuthModule {}
