import { Body, Controller, Headers, HttpCode, Options, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/current-user';
import { ApiKeysService } from './api-keys.service';
import { ExchangeRequestDto, TokenRequestDto, TokenResponseDto } from './dto/token.dto';
import { ExchangeService, parseExchangeBody } from './exchange.service';
import { RateLimiterService } from './rate-limiter.service';
import { IssuedToken, TokenIssuerService } from './token-issuer.service';
import { parseTokenRequest } from './token-request';

function toWire(issued: IssuedToken): TokenResponseDto {
  return issued.mode === 'jwt'
    ? { token: issued.token, expires_at: issued.expiresAt, app_id: issued.appId }
    : { user_hash: issued.userHash, app_id: issued.appId };
}

/**
 * The public token API (snake_case, like Intercom's own names). Bodies are `unknown` on purpose:
 * the global ValidationPipe skips them and `parseTokenRequest` checks them far more cheaply.
 */
@ApiTags('tokens (public)')
@Public()
@Controller('v1/intercom')
export class TokenApiController {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly limiter: RateLimiterService,
    private readonly issuer: TokenIssuerService,
    private readonly exchange: ExchangeService,
  ) {}

  @Post('token')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Server to server: a Messenger token for one of your signed-in users, authorised by the tenant's API key.",
  })
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({
    type: TokenResponseDto,
    description: 'JWT mode: {token, expires_at, app_id}. HMAC mode: {user_hash, app_id}.',
  })
  @ApiUnauthorizedResponse({ description: 'Missing, wrong or revoked API key.' })
  @ApiConflictResponse({ description: 'The tenant has no APP_ID, or no active key for the platform.' })
  @ApiTooManyRequestsResponse({ description: 'Past the per-key limit per minute; see Retry-After.' })
  async token(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
  ): Promise<TokenResponseDto> {
    const key = await this.apiKeys.authenticate(authorization);
    this.limiter.take(key.id);
    return toWire(await this.issuer.issue(key.tenantId, parseTokenRequest(body)));
  }

  @Post('token/exchange')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "From a browser or app: exchange the user's ID token from the tenant's identity provider for a Messenger token.",
  })
  @ApiBody({ type: ExchangeRequestDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({
    description: 'The ID token is missing, expired, or from another issuer, audience or key.',
  })
  async exchangeToken(
    @Headers('authorization') authorization: string | undefined,
    @Headers('origin') origin: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    const { tenantId, platform } = parseExchangeBody(body);
    const idp = await this.exchange.identityProviderFor(tenantId);
    this.exchange.assertOrigin(idp, origin);
    if (origin) void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    const request = await this.exchange.verify(idp, authorization, platform);
    return toWire(await this.issuer.issue(tenantId, request));
  }

  /**
   * CORS preflight. It carries no body, so the tenant (and its allowed origins) is unknown here;
   * the POST itself refuses origins the tenant did not allow.
   */
  @Options('token/exchange')
  @HttpCode(204)
  @ApiOperation({ summary: 'CORS preflight for the exchange endpoint.' })
  preflight(@Headers('origin') origin: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): void {
    if (!origin) return;
    void reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600')
      .header('vary', 'Origin');
  }
}
