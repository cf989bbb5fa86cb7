import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiFoundResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSeeOtherResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestInfo } from '../../audit/audit-context';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { ownOrigin } from '../csrf';
import { Public } from '../current-user';
import { setSessionCookie } from '../session-cookie';
import { OIDC_CALLBACK_PATH, clearOidcCookie, readOidcCookie, setOidcCookie } from './oidc-cookie';
import { BackchannelLogoutDto, SsoConfigDto } from './oidc.dto';
import { OidcService } from './oidc.service';

/** Staff single sign-on (decision 0048). Browser navigations, so answers are redirects, not JSON. */
@ApiTags('auth')
@Controller('api/auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('config')
  @ApiOperation({ summary: 'Whether staff single sign-on is set up, for the login page.' })
  @ApiOkResponse({ type: SsoConfigDto })
  ssoConfig(): SsoConfigDto {
    return { enabled: this.oidc.enabled };
  }

  @Public()
  @Get('start')
  @ApiOperation({
    summary:
      'Start staff single sign-on: redirects the browser to the identity provider (authorization code with PKCE; state and nonce kept server-side, bound to this browser by a short-lived cookie).',
  })
  @ApiFoundResponse({ description: "Location: the identity provider's authorization URL." })
  @ApiNotFoundResponse({ description: 'Single sign-on is not set up on this server.' })
  @ApiServiceUnavailableResponse({ description: 'The identity provider did not answer its discovery document.' })
  @ApiTooManyRequestsResponse({ description: 'More than 120 starts from this address in a minute; see Retry-After.' })
  async start(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { url, browserToken } = await this.oidc.start(this.callbackUrl(req).href, req.ip ?? null);
    setOidcCookie(reply, req, browserToken, this.config.publicUrl);
    void reply.header('cache-control', 'no-store').redirect(url, 302);
  }

  @Public()
  @Get('callback')
  @ApiOperation({
    summary:
      'Where the identity provider sends the browser back. Signs in (verified email in OIDC_STAFF_DOMAINS; staff) and redirects to /, or redirects to /login?sso=<reason>.',
  })
  @ApiSeeOtherResponse({
    description:
      'Location / with the session cookie set, or /login?sso=<reason>: not_started, state_mismatch, provider_error, code_rejected, nonce_mismatch, id_token_invalid, email_not_verified, domain_not_allowed, subject_mismatch, provider_unavailable.',
  })
  async callback(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const current = new URL(req.url, this.callbackUrl(req));
    const outcome = await this.oidc.callback(readOidcCookie(req), current, requestInfo(req), req.headers['user-agent']);
    clearOidcCookie(reply, req, this.config.publicUrl);
    void reply.header('cache-control', 'no-store');
    if (!outcome.ok) return void reply.redirect(`/login?sso=${outcome.reason}`, 303);
    setSessionCookie(reply, req, outcome.token, outcome.expiresAt, this.config.publicUrl);
    void reply.redirect('/', 303);
  }

  @Public()
  @Post('backchannel-logout')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({
    summary:
      "OpenID Connect Back-Channel Logout: the identity provider names a subject (or its session) whose sessions end here at once, e.g. when the account is removed. Register <PUBLIC_URL>/api/auth/oidc/backchannel-logout as the client's backchannel_logout_uri.",
  })
  @ApiOkResponse({ description: 'The named sessions ended (none is fine).' })
  @ApiBadRequestResponse({ description: 'The logout token is missing, not verified, or already used.' })
  @ApiNotFoundResponse({ description: 'Single sign-on is not set up on this server.' })
  async backchannelLogout(
    @Body() body: BackchannelLogoutDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    void reply.header('cache-control', 'no-store');
    await this.oidc.backchannelLogout(body.logout_token);
  }

  private callbackUrl(req: FastifyRequest): URL {
    return new URL(OIDC_CALLBACK_PATH, ownOrigin(req, this.config.publicUrl));
  }
}
