import { Injectable } from '@nestjs/common';
import { PLATFORMS, type Platform } from '@messenger-vault/intercom';
import { SigningKeyService } from '../vault/signing-key.service';
import { SigningKey, SigningKeySource } from './signing-keys';

/** The vault's signing keys, seen through the interface token issuance needs. */
@Injectable()
export class VaultSigningKeys implements SigningKeySource {
  constructor(private readonly vault: SigningKeyService) {}

  signingKey(tenantId: string, platform: Platform): Promise<SigningKey> {
    return this.vault.signingKey(tenantId, platform);
  }

  async verificationKeys(tenantId: string): Promise<SigningKey[]> {
    const byVersion = new Map<number, SigningKey>();
    for (const platform of PLATFORMS) {
      const key = await this.vault.signingKey(tenantId, platform).catch(() => null);
      if (key) byVersion.set(key.version, key);
    }
    return [...byVersion.values()].sort((a, b) => b.version - a.version);
  }
}
