import type { Platform } from '@messenger-vault/intercom';
import type { SecretValue } from '@messenger-vault/vault';

/** The tenant's signing key for a platform, as the vault hands it out (cached in memory). */
export interface SigningKey {
  version: number;
  secret: SecretValue;
}

export interface SigningKeySource {
  /** Throws a DomainError (409) when the tenant has no active key serving the platform. */
  signingKey(tenantId: string, platform: Platform): Promise<SigningKey>;
  /** `signingKey` answered from memory alone, or undefined when only `signingKey` can answer. */
  signingKeyFromMemory(tenantId: string, platform: Platform): SigningKey | undefined;
  /** Every key that may have signed a token still in use: active and previous versions. */
  verificationKeys(tenantId: string): Promise<SigningKey[]>;
}

export const SIGNING_KEYS = Symbol('SIGNING_KEYS');
