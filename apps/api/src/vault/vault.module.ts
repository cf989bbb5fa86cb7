import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SecretVersionsService } from './secret-versions.service';
import { SigningKeyService } from './signing-key.service';
import { VaultKeyring } from './vault-keyring.service';

/** Secret storage on top of libs/vault: the keyring, secret versions, and signing keys for the hot path. */
@Module({
  imports: [AuditModule],
  providers: [VaultKeyring, SigningKeyService, SecretVersionsService],
  exports: [SecretVersionsService, SigningKeyService, VaultKeyring],
})
export class VaultModule {}
