import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Region } from '@messenger-vault/intercom';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuditContext } from '../audit/audit-context';
import type { SessionUser } from '../auth/current-user';
import { DomainError, ErrorCode } from '../common/errors';
import { APP_CONFIG, type AppConfig, type IntercomOAuthConfig } from '../config/config';
import { TenantAccessService } from '../tenants/tenant-access.service';
import type { CompletedIntercomOAuthDto, StartIntercomOAuthDto } from './dto/connection.dto';
import { IntercomCallError } from './intercom-api';
import { IntercomConnectionService } from './intercom-connection.service';
import { authorizeUrl, tokenUrl, tradeCode } from './intercom-oauth';

/** Intercom's codes live about 5 minutes; a state outlives its code by a little, no more. */
export const OAUTH_STATE_TTL_SECONDS = 600;

const hashState = (state: string): Buffer => createHash('sha256').update(state, 'utf8').digest();

const STATE_INVALID =
  'This "Connect with Intercom" link is not valid: it was already used, it expired, or it was started in another session or browser. Start again with "Connect with Intercom" on the Intercom connection card.';

interface StateRow {
  session_hash: Buffer;
  tenant_id: string;
  user_id: string;
  region: Region;
  redirect_uri: string;
  expired: boolean;
}

/**
 * "Connect with Intercom" (decision 0040): `start` binds a random state to the session and the
 * tenant and answers Intercom's authorize URL; `complete` takes the state back once (deleted as
 * it is read, whatever happens next), checks it belongs to this very session, trades the code,
 * then connects exactly like a pasted token (GET /me, APP_ID check, sealed storage).
 */
@Injectable()
export class IntercomOAuthService {
  private readonly logger = new Logger('IntercomOAuth');

  constructor(
    private readonly db: DataSource,
    private readonly connections: IntercomConnectionService,
    private readonly tenantAccess: TenantAccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private oauth(): IntercomOAuthConfig {
    const oauth = this.config.intercom.oauth;
    if (!oauth) {
      throw new DomainError(
        ErrorCode.IntercomOAuthNotConfigured,
        '"Connect with Intercom" is not set up on this server (INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET are unset). Paste an access token instead, or ask your operator to register an Intercom app.',
      );
    }
    return oauth;
  }

  async start(tenantId: string, user: SessionUser): Promise<StartIntercomOAuthDto> {
    const oauth = this.oauth();
    const region = await this.connections.storedRegion(tenantId);
    const state = randomBytes(32).toString('base64url');
    await this.db.query(`DELETE FROM intercom_oauth_states WHERE expires_at <= now()`);
    await this.db.query(
      `INSERT INTO intercom_oauth_states (state_hash, session_hash, tenant_id, user_id, region, redirect_uri, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
      [hashState(state), user.sessionHash, tenantId, user.id, region, oauth.redirectUri, OAUTH_STATE_TTL_SECONDS],
    );
    return { authorizeUrl: authorizeUrl(oauth, region, state) };
  }

  async complete(
    user: SessionUser,
    code: string,
    state: string,
    ctx: AuditContext,
  ): Promise<CompletedIntercomOAuthDto> {
    const oauth = this.oauth();
    // Single use: the row is gone as soon as it is read, whatever the outcome below.
    // DELETE ... RETURNING answers [rows, count] through TypeORM.
    const [rows]: [StateRow[], number] = await this.db.query(
      `DELETE FROM intercom_oauth_states WHERE state_hash = $1
       RETURNING session_hash, tenant_id, user_id, region, redirect_uri, expires_at <= now() AS expired`,
      [hashState(state)],
    );
    const row = rows[0];
    if (
      !row ||
      row.expired ||
      row.user_id !== user.id ||
      row.session_hash.length !== user.sessionHash.length ||
      !timingSafeEqual(row.session_hash, user.sessionHash) ||
      row.redirect_uri !== oauth.redirectUri
    ) {
      throw new DomainError(ErrorCode.IntercomOAuthStateInvalid, STATE_INVALID);
    }
    // Access may have ended since the flow started (membership removed, tenant archived).
    await this.tenantAccess.assertCanAccess(user, row.tenant_id);

    let accessToken: string;
    try {
      accessToken = await tradeCode(
        tokenUrl(oauth, this.config.intercom.apiUrl, row.region),
        { code, clientId: oauth.clientId, clientSecret: oauth.clientSecret.reveal() },
        this.config.intercom.timeoutMs,
      );
    } catch (err) {
      if (!(err instanceof IntercomCallError)) throw err;
      this.logger.warn(`Intercom refused the OAuth code trade: ${err.status ?? 'no answer'} ${err.message}`);
      if (err.kind === 'rejected') {
        throw new DomainError(
          ErrorCode.IntercomOAuthCodeRejected,
          `Intercom did not accept the authorization (${err.message}): it expired (codes last about 5 minutes) or was already used. Nothing was saved; start "Connect with Intercom" again.`,
        );
      }
      throw new DomainError(
        ErrorCode.IntercomUnavailable,
        `Intercom could not complete the connection right now (${err.message}). Nothing was saved; start "Connect with Intercom" again in a few minutes.`,
      );
    }
    const connection = await this.connections.connect(row.tenant_id, accessToken, ctx, 'oauth');
    return { tenantId: row.tenant_id, connection };
  }
}
