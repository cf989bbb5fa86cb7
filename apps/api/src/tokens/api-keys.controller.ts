import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import {
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, SessionUser } from '../auth/current-user';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { RequiresRecentMfa } from '../auth/step-up.guard';

@ApiTags('api keys')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's API keys: prefix, created, last used, revoked. Never the keys themselves." })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(@Param('tenantId') tenantId: string): Promise<ApiKeyListDto> {
    return { items: await this.apiKeys.list(tenantId) };
  }

  @RequiresRecentMfa()
  @Post()
  @ApiOperation({ summary: "Create an API key for the tenant's backend. The full key is in this answer only." })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(
    @Param('tenantId') tenantId: string,
    @Body() body: CreateApiKeyDto,
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(tenantId, body.name, user, auditContext(req));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key; every replica stops accepting it at once.' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ description: 'No such key in this tenant.' })
  revoke(@Param('tenantId') tenantId: string, @Param('id') id: string, @Req() req: FastifyRequest): Promise<ApiKeyDto> {
    return this.apiKeys.revoke(tenantId, id, auditContext(req));
  }
}
