import { Injectable, Logger } from '@nestjs/common';
import type { Platform } from '@messenger-vault/intercom';
import { sealSecret, SecretValue, toSealedColumns } from '@messenger-vault/vault';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode } from '../common/errors';
import { SavedSecretDto, SecretVersionDto } from './dto/secret.dto';
import { rotationDueAt, rotationPeriodDays } from './rotation-due';
import { notifySecretChanged } from './secret-change';
import {
  describePlatforms,
  inPlatformOrder,
  signingPlatforms,
  supersededVersions,
  type SecretState,
} from './secret-states';
import { SigningKeyService } from './signing-key.service';
import { VaultKeyring } from './vault-keyring.service';

interface VersionRow {
  version: number;
  platforms: Platform[];
  state: SecretState;
  fingerprint: string;
  last4: string;
  master_key_id: string;
  created_at: Date;
  created_by_email: string | null;
  retired_at: Date | null;
}

const SELECT_VERSIONS = `
  SELECT v.version, v.platforms, v.state, v.fingerprint, v.last4, v.master_key_id, v.created_at, v.retired_at,
         u.email AS created_by_email
    FROM secret_versions v LEFT JOIN users u ON u.id = v.created_by
   WHERE v.tenant_id = $1`;

/** Saving, retiring and listing a tenant's Messenger secret versions: metadata out, never plaintext. */
@Injectable()
export class SecretVersionsService {
  private readonly logger = new Logger('Vault');

  constructor(
    private readonly db: DataSource,
    private readonly keyring: VaultKeyring,
    private readonly signingKeys: SigningKeyService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Seals the secret as the tenant's next version. Newer keys take over the platforms they
   * serve; an older version left signing for none becomes `previous` in the same transaction.
   */
  async save(
    tenantId: string,
    plaintext: string,
    platforms: readonly Platform[],
    context: AuditContext,
  ): Promise<SavedSecretDto> {
    const chosen = inPlatformOrder(platforms);
    const { fingerprint, last4 } = new SecretValue(plaintext, tenantId);
    const saved = await this.db.transaction(async (tx) => {
      const inserted = await this.saveWithin(tx, tenantId, plaintext, chosen, context);
      return { ...inserted, periodDays: await rotationPeriodDays(tx, tenantId) };
    });
    this.signingKeys.invalidate(tenantId);
    this.logger.log(`saved secret version ${saved.version} of tenant ${tenantId} (${fingerprint})`);
    return {
      version: saved.version,
      platforms: chosen,
      fingerprint,
      last4,
      createdAt: saved.createdAt.toISOString(),
      rotationDueAt: rotationDueAt(saved.createdAt, saved.periodDays),
    };
  }

  /**
   * `save` inside the caller's transaction (an automated rotation stores the secret Intercom just
   * created in the step that received it, linked to its Intercom id). Records the audit event last:
   * the caller commits soon after. The caller invalidates `signingKeys` after commit.
   */
  async saveWithin(
    tx: EntityManager,
    tenantId: string,
    plaintext: string,
    platforms: readonly Platform[],
    context: AuditContext,
    link: { intercomSecretId: string; rotationId: string } | null = null,
  ): Promise<{ id: string; version: number; createdAt: Date; fingerprint: string; superseded: number[] }> {
    const chosen = inPlatformOrder(platforms);
    const { fingerprint, last4 } = new SecretValue(plaintext, tenantId);
    const inserted = await this.insertVersion(tx, tenantId, plaintext, {
      platforms: chosen,
      fingerprint,
      last4,
      createdBy: context.actor.userId,
      intercomSecretId: link?.intercomSecretId ?? null,
    });
    const superseded = await this.settleStates(tx, tenantId);
    await notifySecretChanged(tx, [tenantId]);
    // Last in the transaction: the audit chain's lock is held until commit.
    await this.audit.record(
      {
        ...context,
        action: 'intercom.secret.saved',
        tenantId,
        target: { type: 'secret_version', id: inserted.id },
        metadata: {
          version: inserted.version,
          platforms: chosen,
          fingerprint,
          superseded,
          ...(link ? { intercomSecretId: link.intercomSecretId, rotationId: link.rotationId } : {}),
        },
      },
      tx,
    );
    return { ...inserted, fingerprint, superseded };
  }

  private async insertVersion(
    tx: EntityManager,
    tenantId: string,
    plaintext: string,
    meta: {
      platforms: Platform[];
      fingerprint: string;
      last4: string;
      createdBy: string | null;
      intercomSecretId?: string | null;
    },
  ): Promise<{ id: string; version: number; createdAt: Date }> {
    // The tenant's vault_secrets row hands out version numbers; its row lock queues concurrent saves.
    const [secret]: Array<{ id: string; last_version: number }> = await tx.query(
      `INSERT INTO vault_secrets (tenant_id, last_version) VALUES ($1, 1)
       ON CONFLICT (tenant_id) DO UPDATE SET last_version = vault_secrets.last_version + 1
       RETURNING id, last_version`,
      [tenantId],
    );
    const { id: secretId, last_version: version } = secret!;
    const sealed = toSealedColumns(await sealSecret(this.keyring.provider, { tenantId, secretId, version }, plaintext));
    await this.keyring.ensureRecorded(tx, sealed.masterKeyId);
    const [row]: Array<{ id: string; created_at: Date }> = await tx.query(
      `INSERT INTO secret_versions (tenant_id, secret_id, version, platforms, state, ciphertext, iv, wrapped_key,
                                    master_key_id, fingerprint, last4, created_by, intercom_secret_id)
       VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id, created_at`,
      [
        tenantId,
        secretId,
        version,
        meta.platforms,
        sealed.ciphertext,
        sealed.iv,
        sealed.wrappedKey,
        sealed.masterKeyId,
        meta.fingerprint,
        meta.last4,
        meta.createdBy,
        meta.intercomSecretId ?? null,
      ],
    );
    return { id: row!.id, version, createdAt: row!.created_at };
  }

  /** Takes a `previous` version out of service. One that still signs somewhere is refused: replace it first. */
  async retire(tenantId: string, version: number, context: AuditContext): Promise<SecretVersionDto> {
    const result = await this.db.transaction(async (tx) => {
      // Same lock as save(): what signs where can't change under us.
      await tx.query(`SELECT 1 FROM vault_secrets WHERE tenant_id = $1 FOR UPDATE`, [tenantId]);
      const rows = await this.rows(tx, tenantId);
      const target = rows.find((r) => r.version === version);
      if (!target) {
        throw new DomainError(
          ErrorCode.NotFound,
          `This tenant has no secret version ${version}. The Intercom page lists the versions that exist.`,
        );
      }
      if (target.state === 'active') {
        const where = describePlatforms(signingPlatforms(rows).get(version) ?? target.platforms);
        throw new DomainError(
          ErrorCode.SecretStillSigning,
          `Version ${version} still signs tokens for ${where}, so retiring it would break sign-in there. ` +
            `Save the replacement key for ${where} first (step 2), roll it out in Intercom, then retire version ${version}.`,
        );
      }
      if (target.state === 'retired') return { rows, changed: false };
      const [[retired]]: [Array<{ id: string }>, number] = await tx.query(
        `UPDATE secret_versions SET state = 'retired', retired_at = now() WHERE tenant_id = $1 AND version = $2
         RETURNING id`,
        [tenantId, version],
      );
      await notifySecretChanged(tx, [tenantId]);
      await this.audit.record(
        {
          ...context,
          action: 'intercom.secret.retired',
          tenantId,
          target: { type: 'secret_version', id: retired!.id },
          metadata: { version, fingerprint: target.fingerprint },
        },
        tx,
      );
      return { rows: await this.rows(tx, tenantId), changed: true };
    });
    if (result.changed) {
      this.signingKeys.invalidate(tenantId);
      this.logger.log(`retired secret version ${version} of tenant ${tenantId}`);
    }
    const periodDays = await rotationPeriodDays(this.db, tenantId);
    return this.toDtos(result.rows, periodDays).find((v) => v.version === version)!;
  }

  /** Every version, newest first. */
  async list(tenantId: string): Promise<SecretVersionDto[]> {
    const [rows, periodDays] = await Promise.all([
      this.rows(this.db.manager, tenantId),
      rotationPeriodDays(this.db, tenantId),
    ]);
    return this.toDtos(rows, periodDays);
  }

  /** Returns the versions that just became `previous`. */
  private async settleStates(tx: EntityManager, tenantId: string): Promise<number[]> {
    const active: Array<{ version: number; platforms: Platform[]; state: SecretState }> = await tx.query(
      `SELECT version, platforms, state FROM secret_versions WHERE tenant_id = $1 AND state = 'active'`,
      [tenantId],
    );
    const superseded = supersededVersions(active);
    if (superseded.length === 0) return [];
    await tx.query(`UPDATE secret_versions SET state = 'previous' WHERE tenant_id = $1 AND version = ANY($2::int[])`, [
      tenantId,
      superseded,
    ]);
    return superseded;
  }

  private rows(q: EntityManager, tenantId: string): Promise<VersionRow[]> {
    return q.query(`${SELECT_VERSIONS} ORDER BY v.version DESC`, [tenantId]);
  }

  private toDtos(rows: VersionRow[], periodDays: number): SecretVersionDto[] {
    const signs = signingPlatforms(rows);
    return rows.map((r) => ({
      version: r.version,
      platforms: inPlatformOrder(r.platforms),
      signingPlatforms: signs.get(r.version) ?? [],
      state: r.state,
      fingerprint: r.fingerprint,
      last4: r.last4,
      masterKeyId: r.master_key_id,
      createdAt: r.created_at.toISOString(),
      createdBy: r.created_by_email,
      rotationDueAt: r.state === 'active' ? rotationDueAt(r.created_at, periodDays) : null,
      retiredAt: r.retired_at?.toISOString() ?? null,
    }));
  }
}
