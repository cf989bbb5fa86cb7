import { Inject, Injectable, Logger } from '@nestjs/common';
import { isPlatform, type Platform } from '@messenger-vault/intercom';
import { createRemoteJWKSet, customFetch, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { DomainError, ErrorCode, validationError } from '../common/errors';
import { FieldProblems } from '../common/field-problems';
import { canonicalUuid } from '../common/ids';
import { outboundFetch, outboundPolicy, type OutboundPolicy } from '../common/outbound';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ExchangeFailureLimiter } from './exchange-failure-limiter.service';
import { IdTokenVerifier } from './id-token-verifier';
import { RateLimiterService } from './rate-limiter.service';
import { IdentityProviderConfig, TenantTokenConfig, TenantTokenConfigService } from './tenant-token-config.service';
import { IssuedToken, TokenIssuerService } from './token-issuer.service';
import { checkCustomAttributes, DEFAULT_TOKEN_POLICY, type TokenRequestPolicy } from './token-policy';
import { TokenRequest } from './token-request';

// A key set is a few KB; a larger answer is not one, and is not held in memory.
const MAX_JWKS_BYTES = 256 * 1024;
// One entry per distinct JWKS URL in use; bounded so that URLs tenants changed away from go.
const MAX_KEY_SETS = 5_000;

// Asymmetric only: a shared-secret IdP token would mean the browser's IdP secret is on our side too.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface ExchangeBody {
  tenantId: string;
  platform: Platform;
}

export interface ExchangeInput {
  /** The client's address, as trusted proxies report it: failures count against it. */
  ip: string;
  authorization: string | undefined;
  origin: string | undefined;
  body: unknown;
  /**
   * Called once the tenant allows the browser's origin, before the ID token is checked, so a
   * refused token still reaches the page as a readable 401.
   */
  allowOrigin: (origin: string) => void;
}

export function parseExchangeBody(body: unknown): ExchangeBody {
  const problems = new FieldProblems();
  const b = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  for (const key of Object.keys(b))
    if (key === 'custom_attributes')
      problems.add(
        key,
        "custom_attributes cannot come from the browser: the user could sign any value. On the exchange, each allow-listed attribute is read from the ID token's claim of the same name; send attributes your server vouches for through POST /v1/intercom/token.",
      );
    else if (key !== 'tenant_id' && key !== 'platform')
      problems.add(key, `${key} is not a field of this request; send tenant_id and platform.`);
  // One spelling from here on: the tenant's caches and budgets are keyed by it.
  const tenantId = canonicalUuid(b.tenant_id);
  if (tenantId === null)
    problems.add('tenant_id', 'tenant_id is required: the tenant id shown in the admin app under API keys.');
  if (!isPlatform(b.platform)) problems.add('platform', 'platform must be "web", "ios" or "android".');
  if (problems.any || tenantId === null) throw validationError(problems.toRecord());
  return { tenantId, platform: b.platform as Platform };
}

/**
 * Turns the signed-in user's ID token from the tenant's own identity provider into a Messenger
 * token request, so a browser never needs an API key or the Messenger secret.
 */
@Injectable()
export class ExchangeService {
  private readonly logger = new Logger('TokenExchange');
  private readonly jwks = new LRUCache<string, JWTVerifyGetKey>({ max: MAX_KEY_SETS });
  private readonly policy: OutboundPolicy;
  private readonly idTokens = new IdTokenVerifier();

  constructor(
    private readonly configs: TenantTokenConfigService,
    private readonly failures: ExchangeFailureLimiter,
    private readonly limiter: RateLimiterService,
    private readonly issuer: TokenIssuerService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = outboundPolicy(config);
  }

  /** `POST /v1/intercom/token/exchange`: every step, in order (decision 0017). */
  async exchange(input: ExchangeInput): Promise<IssuedToken> {
    const { tenantId, request } = await this.failures.guard(input.ip, async () => {
      const { tenantId, platform } = parseExchangeBody(input.body);
      // One read of the tenant's settings serves the identity provider and the claim policy;
      // in the steady state it is in memory and costs no promise.
      const config = this.configs.fromMemory(tenantId) ?? (await this.configs.get(tenantId));
      const idp = identityProviderOf(config);
      this.assertOrigin(idp, input.origin);
      if (input.origin) input.allowOrigin(input.origin);
      return { tenantId, request: await this.verify(idp, input.authorization, platform, config.policy) };
    });
    // Only a verified ID token spends the tenant's budget: junk traffic cannot exhaust it.
    this.limiter.take(`exchange:${tenantId}`, "This tenant's token exchange");
    // Settings read again: the ID token's key set may have been fetched meanwhile.
    return this.issuer.issueFromMemory(tenantId, request) ?? this.issuer.issue(tenantId, request);
  }

  /** 403 unless the browser's Origin is one the tenant allowed; requests without Origin are servers. */
  assertOrigin(idp: IdentityProviderConfig, origin: string | undefined): void {
    if (origin && !idp.allowedOrigins.includes(origin)) {
      throw new DomainError(
        ErrorCode.Forbidden,
        `Requests from ${origin} are not allowed for this tenant. Add the origin to the identity provider's allowed origins in the admin app.`,
      );
    }
  }

  async verify(
    idp: IdentityProviderConfig,
    authorization: string | undefined,
    platform: Platform,
    policy: TokenRequestPolicy = DEFAULT_TOKEN_POLICY,
  ): Promise<TokenRequest> {
    const idToken = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!idToken)
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'Send the signed-in user\'s ID token from your identity provider as "Authorization: Bearer <token>".',
      );
    let payload: Record<string, unknown>;
    try {
      payload = await this.idTokens.verify(idToken, this.keySet(idp.jwksUrl), {
        issuer: idp.issuer,
        audience: idp.audience,
        algorithms: ALGORITHMS,
      });
    } catch (err) {
      const reason = describe(err);
      if (reason === KEYS_UNUSABLE) {
        // The caller gets the same answer whatever happened on the way to the key set (refused,
        // unreachable, slow, not JSON, no such key): the endpoint is anonymous, and distinct
        // answers would make it a scanner. The operator gets the detail.
        this.logger.warn({ jwksHost: new URL(idp.jwksUrl).host, why: networkReason(err) }, 'ID token not verified');
      }
      throw new DomainError(
        ErrorCode.Unauthenticated,
        `The ID token was refused: ${reason} Sign the user in again; if it persists, check the tenant's identity provider settings.`,
      );
    }
    const rawId = payload[idp.userIdClaim];
    const userId = typeof rawId === 'number' ? String(rawId) : rawId;
    if (typeof userId !== 'string' || userId === '') {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        `The ID token has no "${idp.userIdClaim}" claim to use as user_id. Set the user id claim in the identity provider settings.`,
      );
    }
    // An address the identity provider has not verified is whatever the user typed at sign-up;
    // Intercom would attach the conversation history of whoever owns it.
    const email = idp.emailClaim && payload.email_verified === true ? payload[idp.emailClaim] : undefined;
    const customAttributes = attributesFromClaims(payload, policy);
    return {
      userId,
      platform,
      ...(typeof email === 'string' ? { email } : {}),
      ...(customAttributes !== undefined ? { customAttributes } : {}),
    };
  }

  private keySet(url: string): JWTVerifyGetKey {
    let set = this.jwks.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), {
        timeoutDuration: 3000,
        cooldownDuration: 30_000,
        cacheMaxAge: 600_000,
        // Through the outbound guard: special-use addresses refused at connection time, no redirects.
        [customFetch]: outboundFetch(this.policy, MAX_JWKS_BYTES),
      });
      this.jwks.set(url, set);
    }
    return set;
  }
}

/** The tenant's identity provider, or the 409 that says token exchange is not set up. */
function identityProviderOf(config: TenantTokenConfig): IdentityProviderConfig {
  if (!config.live || !config.identityProvider) {
    throw new DomainError(
      ErrorCode.Conflict,
      'This tenant has not set up token exchange. An admin must configure the identity provider (issuer, JWKS URL, audience) in the admin app first.',
    );
  }
  return config.identityProvider;
}

const KEYS_UNUSABLE = "its signature does not verify with the identity provider's keys.";

/**
 * What the caller may learn. Only facts about the token itself are told apart; everything that
 * depends on fetching the key set is one answer (see verify).
 */
function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'it has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed)
    return `its "${err.claim}" claim does not match (${err.reason}).`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return 'it is signed with an algorithm that is not allowed (only asymmetric ones are).';
  if (err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JWSInvalid)
    return 'it is not a well-formed JWT.';
  return KEYS_UNUSABLE;
}

/** A code for the log (EOUTBOUNDREFUSED, ECONNREFUSED, ERR_JWKS_TIMEOUT, ...), never a message. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  const code = (err as { code?: unknown }).code ?? cause?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : ((err as Error)?.name ?? 'unknown');
}

/**
 * The allow-listed attributes an ID token carries as claims of the same name (decision 0043):
 * the identity provider vouches for them as it does for the user id. A claim of the wrong type
 * is a 400 naming it; claims the allow-list does not name are ignored.
 */
function attributesFromClaims(
  payload: Record<string, unknown>,
  policy: TokenRequestPolicy,
): Record<string, string | number | boolean> | undefined {
  if (policy.attributes.size === 0) return undefined;
  let picked: Record<string, unknown> | undefined;
  for (const name of policy.attributes.keys()) {
    if (Object.hasOwn(payload, name) && payload[name] !== undefined)
      (picked ??= Object.create(null))[name] = payload[name];
  }
  if (picked === undefined) return undefined;
  const problems = new FieldProblems();
  const checked = checkCustomAttributes(picked, policy, (field, message) =>
    problems.add(field, `The ID token's claim: ${message}`),
  );
  if (problems.any) throw validationError(problems.toRecord());
  return checked;
}
