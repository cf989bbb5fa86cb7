import { Inject, Injectable } from '@nestjs/common';
import {
  buildMessengerClaims,
  ClaimsError,
  isPlatform,
  legacyUserHash,
  MessengerJwtSigner,
  type IdentityMode,
} from '@messenger-vault/intercom';
import type { SecretValue } from '@messenger-vault/vault';
import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode, validationError } from '../common/errors';
import { SIGNING_KEYS, SigningKey, SigningKeySource } from './signing-keys';
import { TenantTokenConfig, TenantTokenConfigService } from './tenant-token-config.service';
import { EMAIL_USER_ID_REFUSED, parseTokenRequest, TokenRequest } from './token-request';
import { UsageCounterService } from './usage-counter.service';

/** `sessionDurationMs`: the tenant's session_duration policy, for the Messenger's boot settings (decision 0043). */
export type IssuedToken =
  | { mode: 'jwt'; token: string; expiresAt: string; appId: string; version: number; sessionDurationMs?: number }
  | { mode: 'hmac'; userHash: string; appId: string; version: number; sessionDurationMs?: number };

/**
 * Issues the credential Intercom's Messenger checks: an HS256 JWT, or the legacy HMAC user_hash,
 * signed with the tenant's newest active key for the platform. Everything it reads is cached in
 * memory, so the steady state touches no database.
 */
@Injectable()
export class TokenIssuerService {
  // One signer per decrypted secret, keyed by the vault's SecretValue object: when the vault
  // drops a secret from its cache, its signer goes with it.
  private readonly signers = new WeakMap<SecretValue, MessengerJwtSigner>();
  // Tokens issued within one second share their exp, and formatting it costs about a quarter of
  // the signature itself (bench/token), so the last one is kept.
  private lastExp = NaN;
  private lastExpiresAt = '';

  constructor(
    private readonly config: TenantTokenConfigService,
    @Inject(SIGNING_KEYS) private readonly keys: SigningKeySource,
    private readonly usage: UsageCounterService,
  ) {}

  async issue(
    tenantId: string,
    request: TokenRequest,
    options: { count: boolean; mode?: IdentityMode } = { count: true },
  ): Promise<IssuedToken> {
    return this.issueWith(await this.config.get(tenantId), request, options);
  }

  /**
   * The public body, checked against the tenant's compiled policy (allow-list, email opt-in)
   * from the same cache entry that issues the token: one lookup per request on the hot path.
   */
  async issueFromBody(tenantId: string, body: unknown): Promise<IssuedToken> {
    // The signing key is asked for while the tenant's settings are: after a restart both are
    // database round trips, and one after the other they were most of the first token's time
    // (docs/decisions/0058). Only a well-named platform is looked up; the answer is used only
    // once the settings and the body passed every check below, in the same order as before.
    const platform = (body as { platform?: unknown } | null)?.platform;
    const key = isPlatform(platform) ? this.keys.signingKey(tenantId, platform) : undefined;
    // Its failure is met below when the key is used, or not at all when a check fails first.
    key?.catch(() => undefined);
    const config = await this.config.get(tenantId);
    const request = parseTokenRequest(body, config.policy);
    return this.issueWith(config, request, { count: true }, request.platform === platform ? key : undefined);
  }

  /**
   * TokenRoute#warm's part: the settings and signing-key lookups for a tenant id that exists
   * nowhere (two queries on the pool's connections, in parallel as on a first request), and the
   * JWT path once with a throwaway key. Issues nothing, counts nothing.
   */
  async warm(noTenantId: string): Promise<void> {
    await Promise.allSettled([this.config.get(noTenantId), this.keys.signingKey(noTenantId, 'web')]);
    const request = parseTokenRequest({ user_id: 'warm-up', email: 'warm-up@example.com', platform: 'web' });
    const claims = this.claims(request, new Date(), 60, false);
    new MessengerJwtSigner(randomBytes(32).toString('base64url')).sign(claims);
  }

  /**
   * `issueFromBody` without a promise when the tenant's settings and signing key are fresh in
   * memory (the steady state): the same checks in the same order, the same token, counted the
   * same. Undefined when either is not in memory; then `issueFromBody` must be asked.
   */
  issueFromBodyFromMemory(tenantId: string, body: unknown): IssuedToken | undefined {
    const config = this.config.fromMemory(tenantId);
    if (config === undefined) return undefined;
    return this.issueInMemory(config, parseTokenRequest(body, config.policy));
  }

  /** `issue` for a request already checked (the exchange's), the same way; undefined as above. */
  issueFromMemory(tenantId: string, request: TokenRequest): IssuedToken | undefined {
    const config = this.config.fromMemory(tenantId);
    return config === undefined ? undefined : this.issueInMemory(config, request);
  }

  private issueInMemory(config: TenantTokenConfig, request: TokenRequest): IssuedToken | undefined {
    assertIssuable(config);
    const key = this.keys.signingKeyFromMemory(config.tenantId, request.platform);
    if (key === undefined) return undefined;
    const now = new Date();
    const issued = this.sign(config, request, key, config.identityMode, now);
    this.usage.count(config.tenantId, request.platform, issued.mode, now);
    return issued;
  }

  private async issueWith(
    config: TenantTokenConfig,
    request: TokenRequest,
    options: { count: boolean; mode?: IdentityMode },
    signingKey?: Promise<SigningKey>,
  ): Promise<IssuedToken> {
    const { tenantId } = config;
    assertIssuable(config);
    const key = await (signingKey ?? this.keys.signingKey(tenantId, request.platform));
    const mode = options.mode ?? config.identityMode;
    const now = new Date();
    const issued = this.sign(config, request, key, mode, now);
    if (options.count) this.usage.count(tenantId, request.platform, mode, now);
    else if (mode === config.identityMode) await this.usage.markModeUsed(tenantId, mode);
    return issued;
  }

  private sign(
    config: TenantTokenConfig & { appId: string },
    request: TokenRequest,
    { version, secret }: SigningKey,
    mode: IdentityMode,
    now: Date,
  ): IssuedToken {
    let issued: IssuedToken;
    if (mode === 'hmac') {
      if (request.customAttributes !== undefined) {
        throw validationError({
          custom_attributes: [
            'This workspace uses legacy HMAC identity verification (user_hash), which cannot sign attributes: Intercom would ignore them. Switch to JWT in step 5, or leave custom_attributes out.',
          ],
        });
      }
      issued = { mode, userHash: legacyUserHash(request.userId, secret.reveal()), appId: config.appId, version };
    } else {
      const claims = this.claims(request, now, config.tokenTtlSeconds, config.policy.allowEmailUserIds);
      const token = this.signer(secret).sign(claims);
      issued = { mode, token, expiresAt: this.expiresAt(claims.exp), appId: config.appId, version };
    }
    if (config.sessionDurationSeconds !== null) issued.sessionDurationMs = config.sessionDurationSeconds * 1000;
    return issued;
  }

  private claims(request: TokenRequest, now: Date, ttlSeconds: number, allowEmailUserId: boolean) {
    try {
      return buildMessengerClaims(
        { userId: request.userId, email: request.email, name: request.name, attributes: request.customAttributes },
        { now, ttlSeconds },
        { allowEmailUserId },
      );
    } catch (err) {
      if (err instanceof ClaimsError) {
        if (err.code === 'user_id_looks_like_email') throw validationError({ user_id: [EMAIL_USER_ID_REFUSED] });
        if (err.code.startsWith('attribute')) throw validationError({ custom_attributes: [err.message] });
        const field = err.code.startsWith('user_id')
          ? 'user_id'
          : err.code.startsWith('email')
            ? 'email'
            : err.code.startsWith('name')
              ? 'name'
              : 'body';
        throw validationError({ [field]: [err.message] });
      }
      throw err;
    }
  }

  private expiresAt(exp: number): string {
    if (exp !== this.lastExp) {
      this.lastExpiresAt = new Date(exp * 1000).toISOString();
      this.lastExp = exp;
    }
    return this.lastExpiresAt;
  }

  private signer(secret: SecretValue): MessengerJwtSigner {
    let signer = this.signers.get(secret);
    if (!signer) {
      signer = new MessengerJwtSigner(secret.reveal());
      this.signers.set(secret, signer);
    }
    return signer;
  }
}

/** A live tenant with an APP_ID, or the 401 / 409 that says which is missing. */
function assertIssuable(config: TenantTokenConfig): asserts config is TenantTokenConfig & { appId: string } {
  if (!config.live) {
    throw new DomainError(
      ErrorCode.Unauthenticated,
      'This tenant is archived: its API keys no longer issue tokens. Ask SalesMind staff if this is unexpected.',
    );
  }
  if (!config.appId) {
    throw new DomainError(
      ErrorCode.Conflict,
      'This tenant has no Intercom APP_ID yet. An admin must finish step 1 (APP_ID) in the setup wizard before tokens can be issued.',
    );
  }
}
