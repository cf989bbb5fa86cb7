import { Inject, Injectable, Logger } from '@nestjs/common';
import { parseAppId, type Region } from '@messenger-vault/intercom';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { TenantEvents } from '../core/tenant-events';
import { VaultKeyring } from '../vault/vault-keyring.service';
import type { IntercomConnectionDto } from './dto/connection.dto';
import { identifyWorkspace, INTERCOM_REST_BASES, IntercomCallError, type IntercomWorkspace } from './intercom-api';
import { sealIntercomToken } from './intercom-token';

interface ConnectionRow {
  app_id: string;
  region: Region;
  workspace_name: string;
  identity_verification: boolean;
  connected_at: Date;
}

const toDto = (r: ConnectionRow): IntercomConnectionDto => ({
  connected: true,
  appId: r.app_id,
  region: r.region,
  workspaceName: r.workspace_name,
  identityVerification: r.identity_verification,
  connectedAt: r.connected_at.toISOString(),
});

const COLUMNS = 'app_id, region, workspace_name, identity_verification, connected_at';

/**
 * A tenant's connection to its Intercom workspace by a pasted access token: proved with
 * `GET /me`, sealed by the vault (`intercom-token.ts`), never returned, logged or audited.
 */
@Injectable()
export class IntercomConnectionService {
  private readonly logger = new Logger('IntercomConnection');

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: TenantEvents,
    private readonly keyring: VaultKeyring,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(tenantId: string): Promise<IntercomConnectionDto> {
    const rows: ConnectionRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM intercom_connections WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0] ? toDto(rows[0]) : { connected: false };
  }

  async connect(tenantId: string, accessToken: string, ctx: AuditContext): Promise<IntercomConnectionDto> {
    const stored: Array<{ app_id: string | null; region: Region }> = await this.db.query(
      `SELECT app_id, region FROM intercom_settings WHERE tenant_id = $1`,
      [tenantId],
    );
    const region: Region = stored[0]?.app_id ? stored[0].region : 'us';
    const workspace = await this.identify(region, accessToken);
    this.checkWorkspace(stored[0]?.app_id ?? null, workspace);
    const appId = parseAppId(workspace.appId);
    if (!appId.ok) {
      throw new DomainError(
        ErrorCode.IntercomUnavailable,
        `Intercom answered GET /me with an APP_ID this app cannot use (${workspace.appId.slice(0, 64)}). Try again later, or contact SalesMind support.`,
      );
    }
    const workspaceRegion = workspace.region ?? region;

    const id = randomUUID();
    const sealed = await sealIntercomToken(this.keyring.provider, tenantId, id, accessToken);
    const row = await this.db.transaction(async (tx) => {
      await this.adoptOrCheckAppId(tx, tenantId, workspace, workspaceRegion, ctx);
      await this.keyring.ensureRecorded(tx, sealed.masterKeyId);
      const [saved]: ConnectionRow[] = await tx.query(
        `INSERT INTO intercom_connections (id, tenant_id, app_id, region, workspace_name, identity_verification,
           ciphertext, iv, wrapped_key, master_key_id, connected_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (tenant_id) DO UPDATE SET id = EXCLUDED.id, app_id = EXCLUDED.app_id, region = EXCLUDED.region,
           workspace_name = EXCLUDED.workspace_name, identity_verification = EXCLUDED.identity_verification,
           ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, wrapped_key = EXCLUDED.wrapped_key,
           master_key_id = EXCLUDED.master_key_id, connected_by = EXCLUDED.connected_by, connected_at = now()
         RETURNING ${COLUMNS}`,
        [
          id,
          tenantId,
          workspace.appId,
          workspaceRegion,
          workspace.name,
          workspace.identityVerification,
          sealed.ciphertext,
          sealed.iv,
          sealed.wrappedKey,
          sealed.masterKeyId,
          ctx.actor.userId,
        ],
      );
      await this.audit.record(
        {
          ...ctx,
          action: 'intercom.connection.connected',
          tenantId,
          target: { type: 'intercom_connection', id: workspace.appId },
          metadata: {
            appId: workspace.appId,
            region: workspaceRegion,
            workspaceName: workspace.name,
            identityVerification: workspace.identityVerification,
          },
        },
        tx,
      );
      return saved!;
    });
    this.logger.log(`tenant ${tenantId} connected Intercom workspace ${workspace.appId}`);
    return toDto(row);
  }

  async disconnect(tenantId: string, ctx: AuditContext): Promise<IntercomConnectionDto> {
    await this.db.transaction(async (tx) => {
      const [rows]: [Array<{ app_id: string }>, number] = await tx.query(
        `DELETE FROM intercom_connections WHERE tenant_id = $1 RETURNING app_id`,
        [tenantId],
      );
      if (!rows[0]) return;
      await this.audit.record(
        {
          ...ctx,
          action: 'intercom.connection.disconnected',
          tenantId,
          target: { type: 'intercom_connection', id: rows[0].app_id },
          metadata: { appId: rows[0].app_id },
        },
        tx,
      );
      this.logger.log(`tenant ${tenantId} disconnected Intercom workspace ${rows[0].app_id}`);
    });
    return { connected: false };
  }

  private async identify(region: Region, accessToken: string): Promise<IntercomWorkspace> {
    const base = this.config.intercom.apiUrl ?? INTERCOM_REST_BASES[region];
    try {
      return await identifyWorkspace(base, accessToken, this.config.intercom.timeoutMs);
    } catch (err) {
      if (!(err instanceof IntercomCallError)) throw err;
      // The message is Intercom's own (never the token); logged for the operator, shown in short.
      this.logger.warn(`Intercom GET /me failed: ${err.status ?? 'no answer'} ${err.message}`);
      if (err.kind === 'rejected') {
        throw new DomainError(
          ErrorCode.IntercomTokenRejected,
          err.status === 403
            ? 'Intercom refused this access token for GET /me (403): give the Intercom app the "Read admins" permission, then paste its token again.'
            : 'Intercom did not accept this access token (401): it was revoked, the app was uninstalled, or it was copied incompletely. Copy the token again from your Intercom app (Developer Hub > Configure > Authentication) and paste it here.',
        );
      }
      throw new DomainError(
        ErrorCode.IntercomUnavailable,
        `Intercom could not check the token right now (${err.message}). Nothing was saved; try again in a few minutes.`,
      );
    }
  }

  private checkWorkspace(storedAppId: string | null, workspace: IntercomWorkspace): void {
    if (storedAppId !== null && storedAppId !== workspace.appId) throw mismatch(storedAppId, workspace);
  }

  /** Re-checked under the settings row's lock: an APP_ID set since the first read wins. */
  private async adoptOrCheckAppId(
    tx: EntityManager,
    tenantId: string,
    workspace: IntercomWorkspace,
    region: Region,
    ctx: AuditContext,
  ): Promise<void> {
    await tx.query(`INSERT INTO intercom_settings (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING`, [tenantId]);
    const [current]: Array<{ app_id: string | null }> = await tx.query(
      `SELECT app_id FROM intercom_settings WHERE tenant_id = $1 FOR UPDATE`,
      [tenantId],
    );
    if (current?.app_id) return this.checkWorkspace(current.app_id, workspace);
    await tx.query(`UPDATE intercom_settings SET app_id = $2, region = $3, updated_at = now() WHERE tenant_id = $1`, [
      tenantId,
      workspace.appId,
      region,
    ]);
    await this.events.settingsChanged(tenantId, tx);
    await this.audit.record(
      {
        ...ctx,
        action: 'intercom.app_id.set',
        tenantId,
        target: { type: 'intercom_app', id: workspace.appId },
        metadata: { appId: workspace.appId, region, source: 'intercom_connection' },
      },
      tx,
    );
  }
}

function mismatch(storedAppId: string, workspace: IntercomWorkspace): DomainError {
  return new DomainError(
    ErrorCode.IntercomWorkspaceMismatch,
    `This access token belongs to the Intercom workspace "${workspace.name}" (APP_ID ${workspace.appId}), but this tenant's APP_ID is ${storedAppId}. Paste a token from workspace ${storedAppId}, or change the APP_ID in step 1 first. Nothing was saved.`,
  );
}
