import { Controller, Headers, HttpCode, Options, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/current-user';
import { allowPreflight } from './exchange-cors';

/**
 * The exchange's CORS preflight. `POST /v1/intercom/token` and `POST /v1/intercom/token/exchange`
 * themselves are registered on the hot path's Fastify instance (token-route.ts, exchange-route.ts).
 */
@ApiTags('tokens (public)')
@Public()
@Controller('v1/intercom')
export class TokenApiController {
  /**
   * CORS preflight. It carries no body, so the tenant (and its allowed origins) is unknown here;
   * the POST itself refuses origins the tenant did not allow.
   */
  @Options('token/exchange')
  @HttpCode(204)
  @ApiOperation({ summary: 'CORS preflight for the exchange endpoint.' })
  preflight(@Headers('origin') origin: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): void {
    if (origin) allowPreflight(reply, origin);
  }
}
