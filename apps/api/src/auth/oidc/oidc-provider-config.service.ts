import { Inject, Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import * as client from 'openid-client';
import { DomainError, ErrorCode } from '../../common/errors';
import { APP_CONFIG, AppConfig, OidcConfig } from '../../config/config';

export interface DiscoveredProvider {
  config: client.Configuration;
  issuer: string;
  jwks: JWTVerifyGetKey;
}

/**
 * The identity provider's metadata, read from its discovery document on first use and kept.
 * Not at start: an identity provider that is down must not keep the vault (and password sign-in)
 * from starting; a failed discovery is retried at the next sign-in.
 */
@Injectable()
export class OidcProviderConfig {
  private readonly logger = new Logger('Oidc');
  private discovered: Promise<DiscoveredProvider> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly appConfig: AppConfig) {}

  get settings(): OidcConfig | null {
    return this.appConfig.oidc;
  }

  async provider(): Promise<DiscoveredProvider> {
    const settings = this.settings;
    if (!settings) throw new DomainError(ErrorCode.NotFound, 'Single sign-on is not set up on this server.');
    this.discovered ??= this.discover(settings);
    try {
      return await this.discovered;
    } catch (err) {
      this.discovered = null;
      // The code only: a provider's error text can carry anything.
      this.logger.warn(
        { err: { code: (err as { code?: string }).code ?? (err as Error).name } },
        'OIDC discovery failed',
      );
      throw new DomainError(
        ErrorCode.ServiceUnavailable,
        `The identity provider at ${settings.issuer} did not answer its discovery document. Try again in a minute, or sign in with your password.`,
      );
    }
  }

  private async discover(settings: OidcConfig): Promise<DiscoveredProvider> {
    const insecure = this.appConfig.nodeEnv === 'test' && settings.issuer.startsWith('http://');
    const config = await client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      undefined,
      client.ClientSecretBasic(settings.clientSecret.reveal()),
      { execute: insecure ? [client.allowInsecureRequests] : [], timeout: 10 },
    );
    const metadata = config.serverMetadata();
    if (!metadata.jwks_uri) throw Object.assign(new Error('no jwks_uri'), { code: 'OIDC_NO_JWKS_URI' });
    return {
      config,
      issuer: metadata.issuer,
      jwks: createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: 10_000 }),
    };
  }
}
