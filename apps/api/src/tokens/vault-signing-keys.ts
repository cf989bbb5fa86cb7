import { Injectable } from '@nestjs/common';
import type { Platform } from '@messenger-vault/intercom';
import { SigningKeyService } from '../vault/signing-key.service';
import { SigningKey, SigningKeySource } from './signing-keys';

/** The vault's signing keys, seen through the interface token issuance needs. */
@Injectable()
export class VaultSigningKeys implements SigningKeySource {
  constructor(private readonly vault: SigningKeyService) {}

  signingKey(tenantId: string, platform: Platform): Promise<SigningKey> {
    return this.vault.signingKey(tenantId, platform);
  }

  signingKeyFromMemory(tenantId: string, platform: Platform): SigningKey | undefined {
    return this.vault.signingKeyFromMemory(tenantId, platform);
  }

  verificationKeys(tenantId: string): Promise<SigningKey[]> {
    return this.vault.verificationKeys(tenantId);
  }
}
