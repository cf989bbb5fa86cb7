import { Body, Controller, Headers, HttpCode, Options, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/current-user';
import { ExchangeRequestDto, TokenResponseDto } from './dto/token.dto';
import { ExchangeFailureLimiter } from './exchange-failure-limiter.service';
import { ExchangeService, parseExchangeBody } from './exchange.service';
import { RateLimiterService } from './rate-limiter.service';
import { TokenIssuerService } from './token-issuer.service';
import { toWire } from './token-route';

/**
 * The public token exchange (snake_case, like Intercom's own names); `POST /v1/intercom/token`
 * itself is registered on Fastify directly (token-route.ts). Bodies are `unknown` on purpose:
 * the global ValidationPipe skips them and hand-written checks report every field.
 */
@ApiTags('tokens (public)')
@Public()
@Controller('v1/intercom')
export class TokenApiController {
  constructor(
    private readonly issuer: TokenIssuerService,
    private readonly exchange: ExchangeService,
    private readonly limiter: RateLimiterService,
    private readonly failures: ExchangeFailureLimiter,
  ) {}

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
  @ApiTooManyRequestsResponse({
    description:
      "Too many failed exchanges from this client IP (EXCHANGE_FAILURES_PER_IP_PER_MINUTE), or the tenant's budget of verified exchanges is spent; see Retry-After.",
  })
  async exchangeToken(
    @Headers('authorization') authorization: string | undefined,
    @Headers('origin') origin: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    const { tenantId, request } = await this.failures.guard(req.ip, async () => {
      const { tenantId, platform } = parseExchangeBody(body);
      const idp = await this.exchange.identityProviderFor(tenantId);
      this.exchange.assertOrigin(idp, origin);
      if (origin) void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      return { tenantId, request: await this.exchange.verify(idp, authorization, platform) };
    });
    // Only a verified ID token spends the tenant's budget: junk traffic cannot exhaust it.
    this.limiter.take(`exchange:${tenantId}`, "This tenant's token exchange");
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
