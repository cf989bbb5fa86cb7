import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Platform } from '@messenger-vault/intercom';
import { fromSealedColumns, openSecret, type SecretValue, VaultError } from '@messenger-vault/vault';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError } from '../common/errors';
import { noSigningKey, unopenableSecret } from './secret-open-errors';
import { ALL_KEYS, ChangeBus } from '../core/change-bus.service';
import { SECRET_TOPIC } from './secret-change';
import { signerByPlatform, type VersionPlatforms } from './secret-states';
import { VaultKeyring } from './vault-keyring.service';

export interface SigningKey {
  version: number;
  secret: SecretValue;
}

interface Entry {
  expiresAt: number;
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

// Bounds memory with very many tenants; the oldest entry goes first.
const MAX_CACHED_TENANTS = 10_000;

/**
 * The hot path's view of the vault: the key that signs for a tenant's platform, decrypted once
 * and kept in memory for VAULT_CACHE_TTL_SECONDS. Any replica's change to the tenant's secrets
 * drops the entry at once (LISTEN/NOTIFY); the TTL only bounds what a lost notification costs.
 */
@Injectable()
export class SigningKeyService {
  private readonly logger = new Logger('Vault');
  private readonly cache = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();

  constructor(
    private readonly db: DataSource,
    private readonly keyring: VaultKeyring,
    private readonly bus: ChangeBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    bus.subscribe(SECRET_TOPIC, (tenantId) => (tenantId === ALL_KEYS ? this.clear() : this.invalidate(tenantId)));
  }

  /** Throws `NoSigningKey`, `SecretUndecryptable` or `VaultKeyUnavailable` as a DomainError. */
  async signingKey(tenantId: string, platform: Platform): Promise<SigningKey> {
    const { signers, versions } = await this.entry(tenantId);
    const version = signers.get(platform);
    if (version === undefined) throw noSigningKey(platform);
    const found = versions.get(version)!;
    if (found instanceof DomainError) throw found;
    return found;
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
    this.loading.delete(tenantId);
  }

  private clear(): void {
    this.cache.clear();
    this.loading.clear();
  }

  private entry(tenantId: string): Promise<Entry> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached);
    const inFlight = this.loading.get(tenantId);
    if (inFlight) return inFlight;
    // Callers arriving during a load share it. invalidate() unsets it, so a load that may have
    // read rows older than the change is returned to its callers but never cached.
    const load: Promise<Entry> = this.load(tenantId).then(
      (entry) => {
        if (this.loading.get(tenantId) === load) {
          this.loading.delete(tenantId);
          if (this.config.vault.cacheTtlSeconds > 0 && this.bus.listening) this.remember(tenantId, entry);
        }
        return entry;
      },
      (err: unknown) => {
        if (this.loading.get(tenantId) === load) this.loading.delete(tenantId);
        throw err;
      },
    );
    this.loading.set(tenantId, load);
    return load;
  }

  private remember(tenantId: string, entry: Entry): void {
    if (this.cache.size >= MAX_CACHED_TENANTS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(tenantId, entry);
  }

  private async load(tenantId: string): Promise<Entry> {
    const expiresAt = Date.now() + this.config.vault.cacheTtlSeconds * 1000;
    const rows: SealedRow[] = await this.db.query(
      `SELECT version, state, platforms, secret_id, ciphertext, iv, wrapped_key, master_key_id
         FROM secret_versions WHERE tenant_id = $1 AND state IN ('active', 'previous') ORDER BY version DESC`,
      [tenantId],
    );
    const versions = new Map<number, SigningKey | DomainError>();
    for (const row of rows) versions.set(row.version, await this.open(tenantId, row));
    return { expiresAt, signers: signerByPlatform(rows), versions };
  }

  private async open(tenantId: string, row: SealedRow): Promise<SigningKey | DomainError> {
    try {
      const sealed = fromSealedColumns({
        ciphertext: row.ciphertext,
        iv: row.iv,
        wrappedKey: row.wrapped_key,
        masterKeyId: row.master_key_id,
      });
      const secret = await openSecret(
        this.keyring.provider,
        { tenantId, secretId: row.secret_id, version: row.version },
        sealed,
      );
      return { version: row.version, secret };
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      // The vault's messages carry ids only, never key or secret material.
      this.logger.error(`secret version ${row.version} of tenant ${tenantId} won't open (${err.code}): ${err.message}`);
      return unopenableSecret(row.version, err);
    }
  }
}
