import { Body, Controller, Delete, Get, HttpCode, Param, Put, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { CreatedWebhookDto, SetWebhookDto, WebhookDto } from './dto/webhook.dto';
import { WebhookService } from './webhook.service';

@ApiTags('notifications')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/webhook')
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's webhook for rotation reminders: URL and when it was set, never the secret." })
  @ApiOkResponse({ type: WebhookDto })
  @ApiNotFoundResponse({ description: 'The tenant has no webhook.' })
  get(@Param('tenantId') tenantId: string): Promise<WebhookDto> {
    return this.webhooks.get(tenantId);
  }

  @Put()
  // Every PUT makes a new signing secret, so it answers like any other create (docs/decisions/0009).
  @HttpCode(201)
  @ApiOperation({
    summary: 'Set the webhook that receives rotation reminders; answers a new signing secret, shown once.',
    description:
      'Replaces any webhook the tenant had, and its signing secret. Each delivery is a POST of ' +
      '{id, type, createdAt, data} signed in the Messenger-Vault-Signature header.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiBadRequestResponse({
    description:
      'url is not https (or http to localhost outside production), or, in production, points at a private, local or other special-use address.',
  })
  set(
    @Param('tenantId') tenantId: string,
    @Body() body: SetWebhookDto,
    @Req() req: FastifyRequest,
  ): Promise<CreatedWebhookDto> {
    return this.webhooks.set(tenantId, body.url, auditContext(req));
  }

  @Delete()
  @ApiOperation({ summary: 'Remove the webhook; reminders not yet delivered to it are dropped.' })
  @ApiOkResponse({ type: WebhookDto, description: 'The webhook that was removed.' })
  @ApiNotFoundResponse({ description: 'The tenant has no webhook.' })
  remove(@Param('tenantId') tenantId: string, @Req() req: FastifyRequest): Promise<WebhookDto> {
    return this.webhooks.remove(tenantId, auditContext(req));
  }
}
