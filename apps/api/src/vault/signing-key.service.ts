import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Platform } from '@messenger-vault/intercom';
import { KeyProviderUnavailable, openSecret, type SecretValue, VaultError } from '@messenger-vault/vault';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError } from '../common/errors';
import { noSigningKey, unopenableSecret } from './secret-open-errors';
import { ALL_KEYS, ChangeBus } from '../core/change-bus.service';
import { DatabaseHealth } from '../core/database-health.service';
import { VerifiedCache } from '../core/verified-cache';
import { SECRET_TOPIC } from './secret-change';
import { signerByPlatform, type VersionPlatforms } from './secret-states';
import { VaultKeyring } from './vault-keyring.service';
import { sealedFromRow } from './sealed-column-set';

export interface SigningKey {
  version: number;
  secret: SecretValue;
}

interface Entry {
  signers: Map<Platform, number>;
  /** Active and previous versions, opened (or why they would not open). */
  versions: Map<number, SigningKey | DomainError>;
}

interface SealedRow extends VersionPlatforms {
  secret_id: string;
  ciphertext: Buffer;
  iv: Buffer;
  wrapped_key: Buffer;
  master_key_id: string;
}

/** The key that signs for the platform, or why there is none. */
function pick({ signers, versions }: Entry, platform: Platform): SigningKey {
  const version = signers.get(platform);
  if (version === undefined) throw noSigningKey(platform);
  const found = versions.get(version)!;
  if (found instanceof DomainError) throw found;
  return found;
}

// Bounds memory with very many tenants; the oldest entry goes first.
const MAX_CACHED_TENANTS = 10_000;
/** While the change bus is deaf, keys read from the database are trusted this long only. */
const DEAF_TTL_MS = 1_000;

/**
 * The hot path's view of the vault: the key that signs for a tenant's platform, decrypted once
 * and kept in memory for VAULT_CACHE_TTL_SECONDS. Any replica's change to the tenant's secrets
 * drops the entry at once (LISTEN/NOTIFY); the TTL only bounds what a lost notification costs.
 * While the database, or the HSM or KMS holding the master key, is unreachable, keys loaded
 * within TOKEN_STALE_SECONDS keep signing.
 */
@Injectable()
export class SigningKeyService {
  private readonly logger = new Logger('Vault');
  private readonly cache: VerifiedCache<string, Entry>;

  /** How the cache answered lookups, read by /metrics. */
  get cacheStats(): Readonly<VerifiedCache<unknown, unknown>['stats']> {
    return this.cache.stats;
  }

  constructor(
    private readonly health: DatabaseHealth,
    private readonly keyring: VaultKeyring,
    bus: ChangeBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const ttlMs = config.vault.cacheTtlSeconds * 1000;
    this.cache = new VerifiedCache(health, {
      freshMs: () => (bus.listening ? ttlMs : Math.min(ttlMs, DEAF_TTL_MS)),
      staleMs: config.tokenStaleSeconds * 1000,
      listening: () => bus.listening,
      max: MAX_CACHED_TENANTS,
      isOutage: (err) => err instanceof KeyProviderUnavailable,
    });
    bus.subscribe(SECRET_TOPIC, (tenantId) =>
      tenantId === ALL_KEYS ? this.cache.markAllStale() : this.invalidate(tenantId),
    );
  }

  /** Throws `NoSigningKey`, `SecretUndecryptable` or `VaultKeyUnavailable` as a DomainError. */
  async signingKey(tenantId: string, platform: Platform): Promise<SigningKey> {
    return pick(await this.entry(tenantId), platform);
  }

  /**
   * `signingKey` without a promise while the tenant's entry is fresh in memory (the steady
   * state); undefined when it is not (or decrypted keys are never kept), and then `signingKey`
   * must be asked. Throws as `signingKey` does.
   */
  signingKeyFromMemory(tenantId: string, platform: Platform): SigningKey | undefined {
    if (this.config.vault.cacheTtlSeconds === 0) return undefined;
    const entry = this.cache.peek(tenantId);
    return entry === undefined ? undefined : pick(entry, platform);
  }

  /**
   * Keys a token in circulation may have been signed with: active and previous versions, newest
   * first. Versions that won't open are left out (signingKey reports them).
   */
  async verificationKeys(tenantId: string): Promise<SigningKey[]> {
    const { versions } = await this.entry(tenantId);
    return [...versions.values()]
      .filter((v): v is SigningKey => !(v instanceof DomainError))
      .sort((a, b) => b.version - a.version);
  }

  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private entry(tenantId: string): Promise<Entry> {
    // VAULT_CACHE_TTL_SECONDS=0: decrypted keys are never kept, not even for outages.
    if (this.config.vault.cacheTtlSeconds === 0) return this.load(tenantId);
    return this.cache.get(tenantId, () => this.load(tenantId));
  }

  private async load(tenantId: string): Promise<Entry> {
    const rows = await this.health.hotQuery<SealedRow>(
      `SELECT version, state, platforms, secret_id, ciphertext, iv, wrapped_key, master_key_id
         FROM secret_versions WHERE tenant_id = $1 AND state IN ('active', 'previous') ORDER BY version DESC`,
      [tenantId],
    );
    const versions = new Map<number, SigningKey | DomainError>();
    for (const row of rows) versions.set(row.version, await this.open(tenantId, row));
    return { signers: signerByPlatform(rows), versions };
  }

  private async open(tenantId: string, row: SealedRow): Promise<SigningKey | DomainError> {
    try {
      const sealed = sealedFromRow(row);
      const secret = await openSecret(
        this.keyring.provider,
        { tenantId, secretId: row.secret_id, version: row.version },
        sealed,
      );
      return { version: row.version, secret };
    } catch (err) {
      // An HSM or KMS that does not answer says nothing about the row: the load fails (503), and
      // what was verified within TOKEN_STALE_SECONDS keeps serving.
      if (!(err instanceof VaultError) || err instanceof KeyProviderUnavailable) throw err;
      // The vault's messages carry ids only, never key or secret material.
      this.logger.error(`secret version ${row.version} of tenant ${tenantId} won't open (${err.code}): ${err.message}`);
      return unopenableSecret(row.version, err);
    }
  }
}
