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
import { openIntercomToken, sealIntercomToken, type SealedIntercomTokenRow } from './intercom-token';

interface ConnectionRow {
  app_id: string;
  region: Region;
  workspace_name: string;
  identity_verification: boolean;
  connected_at: Date;
  connected_via: 'token' | 'oauth';
  broken_at: Date | null;
  broken_reason: string | null;
}

const COLUMNS =
  'app_id, region, workspace_name, identity_verification, connected_at, connected_via, broken_at, broken_reason';

export type ConnectedVia = ConnectionRow['connected_via'];

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

  private toDto(r: ConnectionRow | undefined): IntercomConnectionDto {
    const oauthAvailable = this.config.intercom.oauth !== null;
    if (!r) return { connected: false, oauthAvailable };
    return {
      connected: true,
      oauthAvailable,
      appId: r.app_id,
      region: r.region,
      workspaceName: r.workspace_name,
      identityVerification: r.identity_verification,
      connectedAt: r.connected_at.toISOString(),
      connectedVia: r.connected_via,
      broken: r.broken_at ? { at: r.broken_at.toISOString(), reason: r.broken_reason ?? '' } : null,
    };
  }

  async get(tenantId: string): Promise<IntercomConnectionDto> {
    const rows: ConnectionRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM intercom_connections WHERE tenant_id = $1`,
      [tenantId],
    );
    return this.toDto(rows[0]);
  }

  /** The region Intercom is asked in before the workspace said its own: the stored APP_ID's, else US. */
  async storedRegion(tenantId: string): Promise<Region> {
    const stored: Array<{ app_id: string | null; region: Region }> = await this.db.query(
      `SELECT app_id, region FROM intercom_settings WHERE tenant_id = $1`,
      [tenantId],
    );
    return stored[0]?.app_id ? stored[0].region : 'us';
  }

  async connect(
    tenantId: string,
    accessToken: string,
    ctx: AuditContext,
    via: ConnectedVia = 'token',
  ): Promise<IntercomConnectionDto> {
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
           ciphertext, iv, wrapped_key, master_key_id, connected_by, connected_via)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (tenant_id) DO UPDATE SET id = EXCLUDED.id, app_id = EXCLUDED.app_id, region = EXCLUDED.region,
           workspace_name = EXCLUDED.workspace_name, identity_verification = EXCLUDED.identity_verification,
           ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, wrapped_key = EXCLUDED.wrapped_key,
           master_key_id = EXCLUDED.master_key_id, connected_by = EXCLUDED.connected_by, connected_at = now(),
           connected_via = EXCLUDED.connected_via, broken_at = NULL, broken_reason = NULL
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
          via,
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
            via,
          },
        },
        tx,
      );
      return saved!;
    });
    this.logger.log(`tenant ${tenantId} connected Intercom workspace ${workspace.appId} (${via})`);
    return this.toDto(row);
  }

  /**
   * Runs `call` with the stored token and the API base of the workspace's region. A 401 from
   * Intercom marks the connection broken (then the error goes on to the caller); a connection
   * already broken is not tried. Throws `intercom_not_connected` without a connection.
   */
  async callWithToken<T>(tenantId: string, call: (base: string, accessToken: string) => Promise<T>): Promise<T> {
    const rows: Array<
      SealedIntercomTokenRow & { region: Region; broken_at: Date | null; broken_reason: string | null }
    > = await this.db.query(
      `SELECT id, tenant_id, ciphertext, iv, wrapped_key, master_key_id, region, broken_at, broken_reason
           FROM intercom_connections WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    if (!row) {
      throw new DomainError(
        ErrorCode.IntercomNotConnected,
        'This tenant is not connected to Intercom: connect the workspace in step 1 (paste an access token or "Connect with Intercom") first.',
      );
    }
    if (row.broken_at) throw brokenError(row.broken_reason);
    const token = await openIntercomToken(this.keyring.provider, row);
    const base = this.config.intercom.apiUrl ?? INTERCOM_REST_BASES[row.region];
    try {
      return await call(base, token.reveal());
    } catch (err) {
      if (err instanceof IntercomCallError && err.status === 401) {
        await this.markBroken(tenantId, row.id, err.message);
        throw brokenError(err.message);
      }
      throw err;
    }
  }

  /**
   * Intercom answered 401 to the stored token on a later call: revoked, or the app was
   * uninstalled. Marked once (the first reason is kept until the admin connects again), audited,
   * and the card shows it. `connectionId` guards against marking a token connected since.
   */
  async markBroken(tenantId: string, connectionId: string, reason: string): Promise<void> {
    const marked = await this.db.transaction((tx) =>
      markIntercomConnectionBroken(tx, this.audit, tenantId, reason, connectionId),
    );
    if (marked) this.logger.warn(`tenant ${tenantId}: Intercom refused the stored token; connection marked broken`);
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
    return this.toDto(undefined);
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

/**
 * Marks the tenant's connection broken in the caller's transaction (a rotation step that got a
 * 401 uses it too): once, keeping the first reason, audited by the system. `connectionId` limits
 * it to the token that was refused, not one connected since. True when it was marked now.
 */
export async function markIntercomConnectionBroken(
  tx: EntityManager,
  audit: AuditService,
  tenantId: string,
  reason: string,
  connectionId?: string,
): Promise<boolean> {
  const why = reason.slice(0, 500) || 'Intercom answered 401';
  const [rows]: [Array<{ app_id: string }>, number] = await tx.query(
    `UPDATE intercom_connections SET broken_at = now(), broken_reason = $3
      WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id = $2) AND broken_at IS NULL RETURNING app_id`,
    [tenantId, connectionId ?? null, why],
  );
  if (!rows[0]) return false;
  await audit.record(
    {
      actor: { kind: 'system', userId: null, email: null },
      request: null,
      action: 'intercom.connection.broken',
      tenantId,
      target: { type: 'intercom_connection', id: rows[0].app_id },
      metadata: { appId: rows[0].app_id, reason: why },
    },
    tx,
  );
  return true;
}

function brokenError(reason: string | null): DomainError {
  return new DomainError(
    ErrorCode.IntercomTokenRejected,
    `Intercom no longer accepts the stored access token${reason ? ` (${reason})` : ''}: it was revoked or the Intercom app was uninstalled. Connect the workspace again in step 1.`,
  );
}

function mismatch(storedAppId: string, workspace: IntercomWorkspace): DomainError {
  return new DomainError(
    ErrorCode.IntercomWorkspaceMismatch,
    `This access token belongs to the Intercom workspace "${workspace.name}" (APP_ID ${workspace.appId}), but this tenant's APP_ID is ${storedAppId}. Paste a token from workspace ${storedAppId}, or change the APP_ID in step 1 first. Nothing was saved.`,
  );
}
