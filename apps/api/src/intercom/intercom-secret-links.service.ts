import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode, notFound } from '../common/errors';
import type {
  IntercomConnectionDto,
  IntercomSecretDto,
  IntercomSecretLinkDto,
  IntercomSecretsErrorDto,
} from './dto/connection.dto';
import { IntercomCallError } from './intercom-api';
import { IntercomConnectionService } from './intercom-connection.service';
import { type IntercomSecretMeta, listSecureModeSecrets } from './intercom-secrets-api';
import { APP_CONFIG, type AppConfig } from '../config/config';

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

/**
 * The workspace's secrets as Intercom lists them, and which stored version each one is: a
 * version pasted by hand is linked by the admin, since Intercom never shows a secret's value
 * again (DESIGN.md, "Linking stored versions to Intercom's secrets").
 */
@Injectable()
export class IntercomSecretLinksService {
  private readonly logger = new Logger('IntercomSecretLinks');

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly connections: IntercomConnectionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private fetchSecrets(tenantId: string): Promise<IntercomSecretMeta[]> {
    return this.connections.callWithToken(tenantId, (base, token) =>
      listSecureModeSecrets(base, token, this.config.intercom.timeoutMs),
    );
  }

  /** GET .../connection: the connection, and with one, the workspace's secrets and their links. */
  async connectionWithSecrets(tenantId: string): Promise<IntercomConnectionDto> {
    const connection = await this.connections.get(tenantId);
    if (!connection.connected) return connection;
    const secrets = await this.list(tenantId);
    // Asking Intercom may just have marked the connection broken: read it again then.
    return { ...(secrets.intercomSecretsError ? await this.connections.get(tenantId) : connection), ...secrets };
  }

  /** For GET .../connection: never throws for Intercom's sake; says what went wrong instead. */
  async list(
    tenantId: string,
  ): Promise<{ intercomSecrets: IntercomSecretDto[]; intercomSecretsError: IntercomSecretsErrorDto | null }> {
    let secrets: IntercomSecretMeta[];
    try {
      secrets = await this.fetchSecrets(tenantId);
    } catch (err) {
      const problem = this.describe(err);
      if (!problem) throw err;
      return { intercomSecrets: [], intercomSecretsError: problem };
    }
    const links: Array<{ version: number; intercom_secret_id: string }> = await this.db.query(
      `SELECT version, intercom_secret_id FROM secret_versions WHERE tenant_id = $1 AND intercom_secret_id IS NOT NULL`,
      [tenantId],
    );
    const linked = new Map(links.map((l) => [l.intercom_secret_id, l.version]));
    return {
      intercomSecrets: secrets.map((s) => ({
        id: s.id,
        name: s.name,
        platforms: [
          ...(s.supportsWeb ? (['web'] as const) : []),
          ...(s.supportsIos ? (['ios'] as const) : []),
          ...(s.supportsAndroid ? (['android'] as const) : []),
        ],
        createdAt: s.createdAt === null ? null : new Date(s.createdAt * 1000).toISOString(),
        linkedVersion: linked.get(s.id) ?? null,
      })),
      intercomSecretsError: null,
    };
  }

  async link(
    tenantId: string,
    version: number,
    intercomSecretId: string,
    ctx: AuditContext,
  ): Promise<IntercomSecretLinkDto> {
    await this.versionRow(tenantId, version);
    let secrets: IntercomSecretMeta[];
    try {
      secrets = await this.fetchSecrets(tenantId);
    } catch (err) {
      throw err instanceof IntercomCallError ? this.asDomainError(err) : err;
    }
    const secret = secrets.find((s) => s.id === intercomSecretId);
    if (!secret) {
      throw new DomainError(
        ErrorCode.IntercomSecretUnknown,
        `Intercom lists no secret with id ${intercomSecretId} in this workspace. Pick one from the list of Intercom secrets; it may have been deleted in Intercom.`,
      );
    }
    try {
      await this.db.transaction(async (tx) => {
        const [current]: Array<{ intercom_secret_id: string | null }> = await tx.query(
          `SELECT intercom_secret_id FROM secret_versions WHERE tenant_id = $1 AND version = $2 FOR UPDATE`,
          [tenantId, version],
        );
        if (current?.intercom_secret_id === intercomSecretId) return;
        const other: Array<{ version: number }> = await tx.query(
          `SELECT version FROM secret_versions WHERE tenant_id = $1 AND intercom_secret_id = $2 AND version <> $3`,
          [tenantId, intercomSecretId, version],
        );
        if (other[0]) throw alreadyLinked(intercomSecretId, other[0].version);
        await tx.query(`UPDATE secret_versions SET intercom_secret_id = $3 WHERE tenant_id = $1 AND version = $2`, [
          tenantId,
          version,
          intercomSecretId,
        ]);
        await this.audit.record(
          {
            ...ctx,
            action: 'intercom.secret.linked',
            tenantId,
            target: { type: 'secret_version', id: String(version) },
            // Not "secret…" keys: the trail drops those whatever they hold (audit-metadata.ts).
            metadata: {
              version,
              intercomId: intercomSecretId,
              intercomName: secret.name,
              replacedIntercomId: current?.intercom_secret_id ?? null,
            },
          },
          tx,
        );
      });
    } catch (err) {
      // Two links racing for one Intercom secret: the unique index decides, the loser hears why.
      if (isUniqueViolation(err)) throw alreadyLinked(intercomSecretId, null);
      throw err;
    }
    this.logger.log(`tenant ${tenantId}: version ${version} linked to Intercom secret ${intercomSecretId}`);
    return { version, intercomSecretId };
  }

  async unlink(tenantId: string, version: number, ctx: AuditContext): Promise<IntercomSecretLinkDto> {
    await this.db.transaction(async (tx) => {
      const [row]: Array<{ intercom_secret_id: string | null }> = await tx.query(
        `SELECT intercom_secret_id FROM secret_versions WHERE tenant_id = $1 AND version = $2 FOR UPDATE`,
        [tenantId, version],
      );
      if (!row) throw notFound(`Secret version ${version}`);
      if (row.intercom_secret_id === null) return;
      await tx.query(`UPDATE secret_versions SET intercom_secret_id = NULL WHERE tenant_id = $1 AND version = $2`, [
        tenantId,
        version,
      ]);
      await this.audit.record(
        {
          ...ctx,
          action: 'intercom.secret.unlinked',
          tenantId,
          target: { type: 'secret_version', id: String(version) },
          metadata: { version, intercomId: row.intercom_secret_id },
        },
        tx,
      );
    });
    return { version, intercomSecretId: null };
  }

  private async versionRow(tenantId: string, version: number): Promise<void> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM secret_versions WHERE tenant_id = $1 AND version = $2`, [
      tenantId,
      version,
    ]);
    if (rows.length === 0) throw notFound(`Secret version ${version}`);
  }

  /** Intercom's failures as the error field of GET .../connection; null for anything else. */
  private describe(err: unknown): IntercomSecretsErrorDto | null {
    if (err instanceof DomainError) return { code: err.code, message: err.message };
    if (err instanceof IntercomCallError) {
      const domain = this.asDomainError(err);
      return { code: domain.code, message: domain.message };
    }
    return null;
  }

  private asDomainError(err: IntercomCallError): DomainError {
    this.logger.warn(`Intercom GET /secure_mode_secrets failed: ${err.status ?? 'no answer'} ${err.message}`);
    if (err.status === 403) {
      return new DomainError(
        ErrorCode.IntercomTokenRejected,
        `Intercom refused to list the workspace's identity verification secrets (403: ${err.message}). Give the Intercom app the "read_secure_mode_secret" and "write_secure_mode_secret" permissions, then connect again.`,
      );
    }
    return new DomainError(
      ErrorCode.IntercomUnavailable,
      `Intercom could not list the workspace's secrets right now (${err.message}). Try again in a few minutes.`,
    );
  }
}

function alreadyLinked(intercomSecretId: string, version: number | null): DomainError {
  return new DomainError(
    ErrorCode.IntercomSecretAlreadyLinked,
    `Intercom secret ${intercomSecretId} is already linked to ${version === null ? 'another version' : `version ${version}`} of this tenant. Unlink it there first: one Intercom secret is one stored version.`,
  );
}
