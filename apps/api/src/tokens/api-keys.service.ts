import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALL_KEYS, ChangeBus } from '../core/change-bus.service';
import { DatabaseHealth } from '../core/database-health.service';
import { VerifiedCache } from '../core/verified-cache';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError, ErrorCode, notFound } from '../common/errors';
import { canonicalUuid } from '../common/ids';
import type { SessionUser } from '../auth/current-user';
import { AuditService } from '../audit/audit.service';
import type { AuditContext } from '../audit/audit-context';
import { apiKeyPrefix, generateApiKey, hashApiKey, sameHash, sameKey } from './api-key-format';
import { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

export interface AuthenticatedKey {
  readonly id: string;
  readonly tenantId: string;
  /** The key's rate-limit bucket, `key:<id>`. */
  readonly bucket: string;
}

interface CachedKey {
  id: string;
  tenantId: string;
  hash: Buffer;
  revoked: boolean;
  verified?: string;
  /** What `accept` answers for this key, made once: the token route asks on every request. */
  authenticated?: AuthenticatedKey;
}

// Revocation reaches every replica at once through the change bus; the TTL only bounds a missed notice.
const CACHE_TTL_MS = 60_000;
const MISS_TTL_MS = 5_000;
/** While the change bus is deaf, a key checked against the database is trusted this long only. */
const DEAF_TTL_MS = 1_000;
// Keys that exist and prefixes that do not are kept apart and bounded: random prefixes (any
// caller can send them) can neither grow memory nor push real keys out.
const MAX_CACHED_KEYS = 100_000;
const MAX_CACHED_MISSES = 10_000;
const TOPIC = 'api_key';

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function presentedKey(authorization: string | undefined): string {
  const key = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
  if (!key) {
    throw new DomainError(
      ErrorCode.Unauthenticated,
      'Send your API key as "Authorization: Bearer mvk_…". Create one under API keys in the admin app.',
    );
  }
  return key;
}

const toDto = (r: ApiKeyRow): ApiKeyDto => ({
  id: r.id,
  name: r.name,
  prefix: `mvk_${r.prefix}`,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

@Injectable()
export class ApiKeysService implements OnModuleInit {
  private readonly cache: VerifiedCache<string, CachedKey | null>;

  /** How the cache answered lookups, read by /metrics. */
  get cacheStats(): Readonly<VerifiedCache<unknown, unknown>['stats']> {
    return this.cache.stats;
  }
  private readonly usedSinceFlush = new Set<string>();

  constructor(
    private readonly db: DataSource,
    private readonly bus: ChangeBus,
    private readonly audit: AuditService,
    private readonly health: DatabaseHealth,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new VerifiedCache(health, {
      freshMs: (key) => (key === null ? MISS_TTL_MS : bus.listening ? CACHE_TTL_MS : DEAF_TTL_MS),
      staleMs: config.tokenStaleSeconds * 1000,
      listening: () => bus.listening,
      max: MAX_CACHED_KEYS,
      isMiss: (key) => key === null,
      maxMisses: MAX_CACHED_MISSES,
    });
  }

  onModuleInit(): void {
    this.bus.subscribe(TOPIC, (prefix) =>
      prefix === ALL_KEYS ? this.cache.markAllStale() : this.cache.delete(prefix),
    );
  }

  async create(tenantId: string, name: string, actor: SessionUser, ctx: AuditContext): Promise<CreatedApiKeyDto> {
    const { key, prefix, hash } = generateApiKey();
    const row = await this.db.transaction(async (tx) => {
      const rows: ApiKeyRow[] = await tx.query(
        `INSERT INTO api_keys (tenant_id, name, prefix, key_hash, created_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, name, prefix, created_at, last_used_at, revoked_at`,
        [tenantId, name, prefix, hash, actor.id],
      );
      const created = rows[0]!;
      await this.audit.record(
        {
          ...ctx,
          action: 'api_key.created',
          tenantId,
          target: { type: 'api_key', id: created.id },
          metadata: { name, keyPrefix: `mvk_${prefix}` },
        },
        tx,
      );
      return created;
    });
    return { id: row.id, name: row.name, prefix: `mvk_${row.prefix}`, key, createdAt: row.created_at.toISOString() };
  }

  async list(tenantId: string): Promise<ApiKeyDto[]> {
    await this.flushUsage();
    const rows: ApiKeyRow[] = await this.db.query(
      `SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE tenant_id = $1
        ORDER BY revoked_at IS NOT NULL, created_at DESC`,
      [tenantId],
    );
    return rows.map(toDto);
  }

  async revoke(tenantId: string, id: string, ctx: AuditContext): Promise<ApiKeyDto> {
    if (canonicalUuid(id) === null) throw notFound('API key');
    return this.db.transaction(async (tx) => {
      const [rows]: [ApiKeyRow[], number] = await tx.query(
        `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND tenant_id = $2
         RETURNING id, name, prefix, created_at, last_used_at, revoked_at`,
        [id, tenantId],
      );
      const row = rows[0];
      if (!row) throw notFound('API key');
      await this.bus.publish(TOPIC, row.prefix, tx);
      await this.audit.record(
        {
          ...ctx,
          action: 'api_key.revoked',
          tenantId,
          target: { type: 'api_key', id: row.id },
          metadata: { name: row.name, keyPrefix: `mvk_${row.prefix}` },
        },
        tx,
      );
      return toDto(row);
    });
  }

  /** The key's tenant, from memory in the steady state; 401 for anything but a live key. */
  async authenticate(authorization: string | undefined): Promise<AuthenticatedKey> {
    const key = presentedKey(authorization);
    const prefix = apiKeyPrefix(key);
    return this.accept(key, prefix ? await this.cache.get(prefix, () => this.lookup(prefix)) : null);
  }

  /**
   * `authenticate` without a promise while the key's entry is fresh in memory (the steady state);
   * undefined when it is not, and then `authenticate` must be asked. Same checks, same 401s.
   */
  authenticateFromMemory(authorization: string | undefined): AuthenticatedKey | undefined {
    const key = presentedKey(authorization);
    const prefix = apiKeyPrefix(key);
    if (!prefix) return this.accept(key, null);
    const found = this.cache.peek(prefix);
    return found === undefined ? undefined : this.accept(key, found);
  }

  private accept(key: string, found: CachedKey | null): AuthenticatedKey {
    // A cache entry remembers the one key string that matched its hash, so the steady state
    // compares strings instead of hashing every request; a different string is hashed again.
    const matches =
      found !== null &&
      ((found.verified !== undefined && sameKey(key, found.verified)) || sameHash(found.hash, hashApiKey(key)));
    if (!found || !matches || found.revoked) {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'This API key is not valid: it is mistyped, revoked or from another environment. Check it, or create a new one under API keys.',
      );
    }
    found.verified = key;
    this.usedSinceFlush.add(found.id);
    return (found.authenticated ??= { id: found.id, tenantId: found.tenantId, bucket: `key:${found.id}` });
  }

  /** Records last_used_at for the keys seen since the last flush, in one statement. */
  async flushUsage(): Promise<void> {
    if (this.usedSinceFlush.size === 0) return;
    const ids = [...this.usedSinceFlush];
    this.usedSinceFlush.clear();
    try {
      await this.db.query(`UPDATE api_keys SET last_used_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
    } catch (err) {
      // Bounded by the number of keys: kept for the next flush.
      for (const id of ids) this.usedSinceFlush.add(id);
      throw err;
    }
  }

  private async lookup(prefix: string): Promise<CachedKey | null> {
    const rows = await this.health.hotQuery<{
      id: string;
      tenant_id: string;
      key_hash: Buffer;
      revoked_at: Date | null;
    }>(
      `SELECT k.id, k.tenant_id, k.key_hash, k.revoked_at FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
        WHERE k.prefix = $1 AND t.archived_at IS NULL`,
      [prefix],
    );
    const row = rows[0];
    if (!row) return null;
    return { id: row.id, tenantId: row.tenant_id, hash: row.key_hash, revoked: row.revoked_at !== null };
  }
}
