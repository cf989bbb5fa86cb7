import { Controller, Get, Headers, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/current-user';
import { MetricsService } from './metrics.service';

@ApiTags('health')
@Public()
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Prometheus metrics (text format 0.0.4): token requests and latency, caches, database, outbox, reminders, process. Open outside production; in production needs Authorization: Bearer METRICS_TOKEN.',
  })
  @ApiOkResponse({
    description: 'The metrics, as text/plain; version=0.0.4.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiUnauthorizedResponse({ description: 'Production: the bearer token is missing or wrong.' })
  @ApiNotFoundResponse({ description: 'Production with METRICS_TOKEN unset: metrics are not served.' })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    this.metrics.authorize(authorization);
    void reply.type(this.metrics.contentType).header('cache-control', 'no-store');
    return this.metrics.render();
  }
}
