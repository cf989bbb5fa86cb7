import { Injectable, Logger } from '@nestjs/common';
import type { SsoRefusal } from '@messenger-vault/contracts';
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { DataSource } from 'typeorm';
import { AuditRequestInfo, SYSTEM_AUDIT_CONTEXT } from '../../audit/audit-context';
import { AuditService } from '../../audit/audit.service';
import { validationError } from '../../common/errors';
import { hashPassword } from '../passwords';
import { hashOpaqueToken, newOpaqueToken } from '../session-token';
import { SessionsService } from '../sessions.service';
import { InvalidLogoutToken, verifyLogoutToken } from './logout-token';
import { OIDC_LOGIN_SECONDS } from './oidc-cookie';
import { OidcProviderConfig } from './oidc-provider-config.service';
import { OidcStartLimiter } from './start-limiter';

export class SsoRefused extends Error {
  constructor(
    readonly reason: SsoRefusal,
    readonly email: string | null = null,
  ) {
    super(reason);
  }
}

export type SsoOutcome =
  { ok: true; userId: string; token: string; expiresAt: Date } | { ok: false; reason: SsoRefusal };

interface LoginState {
  state: string;
  nonce: string;
  code_verifier: string;
}

const emailDomain = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * Staff single sign-on with OpenID Connect (decision 0048): authorization code with PKCE, state
 * and nonce kept server-side under the hash of a browser-bound cookie, the ID token verified by
 * openid-client; back-channel logout tokens end the sessions the provider names.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('Oidc');
  private readonly starts = new OidcStartLimiter();

  constructor(
    private readonly db: DataSource,
    private readonly provider: OidcProviderConfig,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  get enabled(): boolean {
    return this.provider.settings !== null;
  }

  /** A new login attempt: the provider's authorization URL and the value for the browser's cookie. */
  async start(redirectUri: string, ip: string | null): Promise<{ url: string; browserToken: string }> {
    const { config } = await this.provider.provider();
    this.starts.take(ip ?? 'unknown');
    const { token, hash } = newOpaqueToken();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    await this.db.query(`DELETE FROM oidc_login_states WHERE expires_at <= now()`);
    await this.db.query(
      `INSERT INTO oidc_login_states (id_hash, state, nonce, code_verifier, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [hash, state, nonce, verifier, OIDC_LOGIN_SECONDS],
    );
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, browserToken: token };
  }

  /** The provider sent the browser back: a session, or why not. Every outcome is audited. */
  async callback(
    browserToken: string | undefined,
    callbackUrl: URL,
    request: AuditRequestInfo,
    userAgent: string | undefined,
  ): Promise<SsoOutcome> {
    try {
      const signedIn = await this.complete(browserToken, callbackUrl, request, userAgent);
      return { ok: true, ...signedIn };
    } catch (err) {
      if (!(err instanceof SsoRefused)) throw err;
      await this.audit.record({
        actor: { kind: 'user', userId: null, email: err.email },
        request,
        action: 'auth.login.failed',
        metadata: { method: 'oidc', reason: err.reason },
      });
      return { ok: false, reason: err.reason };
    }
  }

  private async complete(
    browserToken: string | undefined,
    callbackUrl: URL,
    request: AuditRequestInfo,
    userAgent: string | undefined,
  ): Promise<{ userId: string; token: string; expiresAt: Date }> {
    // Single use whatever happens next: a replayed callback finds nothing.
    // A DELETE through TypeORM answers [rows, count].
    const [rows]: [LoginState[], number] = browserToken
      ? await this.db.query(
          `DELETE FROM oidc_login_states WHERE id_hash = $1 AND expires_at > now()
           RETURNING state, nonce, code_verifier`,
          [hashOpaqueToken(browserToken)],
        )
      : [[], 0];
    const login = rows[0];
    if (!login) throw new SsoRefused('not_started');
    if (callbackUrl.searchParams.get('state') !== login.state) throw new SsoRefused('state_mismatch');

    const { config, issuer } = await this.provider.provider().catch(() => {
      throw new SsoRefused('provider_unavailable');
    });
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: login.code_verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw new SsoRefused(this.refusalOf(err));
    }
    const claims = tokens.claims();
    if (!claims) throw new SsoRefused('id_token_invalid');
    let email = typeof claims.email === 'string' ? claims.email : null;
    let verified = claims.email_verified;
    if (email === null && tokens.access_token) {
      // Providers that keep the email out of the ID token answer it at the userinfo endpoint.
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub).catch(() => {
        throw new SsoRefused('provider_unavailable');
      });
      email = typeof info.email === 'string' ? info.email : null;
      verified = info.email_verified;
    }
    if (!email || verified !== true) throw new SsoRefused('email_not_verified', email?.toLowerCase() ?? null);
    email = email.toLowerCase();
    if (!this.provider.settings!.staffDomains.includes(emailDomain(email)))
      throw new SsoRefused('domain_not_allowed', email);

    const sid = typeof claims.sid === 'string' ? claims.sid : null;
    return this.signIn(issuer, claims.sub, sid, email, request, userAgent);
  }

  /** Finds the account by the provider's subject, else by email; makes it staff; a new session. */
  private async signIn(
    issuer: string,
    subject: string,
    sid: string | null,
    email: string,
    request: AuditRequestInfo,
    userAgent: string | undefined,
  ): Promise<{ userId: string; token: string; expiresAt: Date }> {
    return this.db.transaction(async (tx) => {
      const known: Array<{ user_id: string }> = await tx.query(
        `SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2 FOR UPDATE`,
        [issuer, subject],
      );
      let userId = known[0]?.user_id ?? null;
      let createdAccount = false;
      if (!userId) {
        const byEmail: Array<{ id: string }> = await tx.query(
          `SELECT id FROM users WHERE lower(email) = $1 FOR UPDATE`,
          [email],
        );
        userId = byEmail[0]?.id ?? null;
        if (userId) {
          const other: unknown[] = await tx.query(`SELECT 1 FROM user_identities WHERE user_id = $1 AND issuer = $2`, [
            userId,
            issuer,
          ]);
          // The address now belongs to another person at the provider: never hand them this account.
          if (other.length) throw new SsoRefused('subject_mismatch', email);
        } else {
          const created: Array<{ id: string }> = await tx.query(
            `INSERT INTO users (email, password_hash, is_staff) VALUES ($1, $2, true) RETURNING id`,
            // A random password nobody knows: the account signs in through the provider only.
            [email, await hashPassword(randomBytes(32).toString('base64url'))],
          );
          userId = created[0]!.id;
          createdAccount = true;
        }
        await tx.query(`INSERT INTO user_identities (user_id, issuer, subject, email) VALUES ($1, $2, $3, $4)`, [
          userId,
          issuer,
          subject,
          email,
        ]);
      } else {
        await tx.query(
          `UPDATE user_identities SET last_sign_in_at = now(), email = $3 WHERE issuer = $1 AND subject = $2`,
          [issuer, subject, email],
        );
      }
      // Becoming staff is a privilege change: the users trigger ends the account's other sessions.
      const [, promoted]: [unknown[], number] = await tx.query(
        `UPDATE users SET is_staff = true WHERE id = $1 AND NOT is_staff`,
        [userId],
      );
      const session = await this.sessions.create(
        userId,
        request.ip ?? 'unknown',
        userAgent,
        { issuer, subject, sid },
        tx,
      );
      await this.audit.record(
        {
          actor: { kind: 'staff', userId, email },
          request,
          action: 'auth.login.succeeded',
          target: { type: 'user', id: userId },
          metadata: { method: 'oidc', issuer, subject, createdAccount, becameStaff: promoted > 0 },
        },
        tx,
      );
      return { userId, ...session };
    });
  }

  /** Back-channel logout: ends the sessions the provider's verified logout token names; how many. */
  async backchannelLogout(logoutToken: string | undefined): Promise<number> {
    const { issuer, jwks } = await this.provider.provider();
    const settings = this.provider.settings!;
    if (!logoutToken) throw validationError({ logout_token: ['logout_token is required.'] });
    let claims;
    try {
      claims = await verifyLogoutToken(logoutToken, jwks, issuer, settings.clientId);
    } catch (err) {
      if (!(err instanceof InvalidLogoutToken)) throw err;
      this.logger.warn({ reason: err.message }, 'back-channel logout token refused');
      throw validationError({ logout_token: [`The logout token was refused: ${err.message}`] });
    }
    return this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM oidc_logout_tokens WHERE expires_at <= now()`);
      const fresh: unknown[] = await tx.query(
        `INSERT INTO oidc_logout_tokens (issuer, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
        [issuer, claims.jti, claims.expiresAt],
      );
      if (fresh.length === 0)
        throw validationError({ logout_token: ['This logout token was already used (its jti).'] });
      const [ended]: [Array<{ user_id: string }>, number] = await tx.query(
        `DELETE FROM sessions WHERE oidc_issuer = $1
            AND ($2::text IS NULL OR oidc_subject = $2) AND ($3::text IS NULL OR oidc_sid = $3)
          RETURNING user_id`,
        [issuer, claims.subject, claims.sid],
      );
      const identity: Array<{ user_id: string }> = claims.subject
        ? await tx.query(`SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2`, [
            issuer,
            claims.subject,
          ])
        : [];
      const userId = identity[0]?.user_id ?? ended[0]?.user_id ?? null;
      await this.audit.record(
        {
          ...SYSTEM_AUDIT_CONTEXT,
          action: 'auth.oidc.logged_out',
          target: userId ? { type: 'user', id: userId } : null,
          metadata: { issuer, subject: claims.subject, sid: claims.sid, ended: ended.length },
        },
        tx,
      );
      return ended.length;
    });
  }

  private refusalOf(err: unknown): SsoRefusal {
    if (err instanceof client.AuthorizationResponseError) return 'provider_error';
    // invalid_grant: the code expired, was used already, or was minted for another PKCE verifier.
    if (err instanceof client.ResponseBodyError)
      return err.error === 'invalid_grant' ? 'code_rejected' : 'provider_error';
    // openid-client wraps oauth4webapi's error, whose cause names the claim.
    const e = err as { code?: string; cause?: { claim?: string; cause?: { claim?: string } } };
    const claim = e.cause?.claim ?? e.cause?.cause?.claim;
    if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && claim === 'nonce') return 'nonce_mismatch';
    if (typeof e.code === 'string' && e.code.startsWith('OAUTH_')) {
      this.logger.warn({ err: { code: e.code, claim } }, 'OIDC callback refused');
      return 'id_token_invalid';
    }
    return 'provider_unavailable';
  }
}
