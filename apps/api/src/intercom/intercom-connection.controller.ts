import { Body, Controller, Delete, Get, HttpCode, Param, Put, Req } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { ConnectIntercomDto, IntercomConnectionDto } from './dto/connection.dto';
import { IntercomConnectionService } from './intercom-connection.service';
import { IntercomSecretLinksService } from './intercom-secret-links.service';
import { RequiresRecentMfa } from '../auth/step-up.guard';

@ApiTags('intercom')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/intercom/connection')
export class IntercomConnectionController {
  constructor(
    private readonly connections: IntercomConnectionService,
    private readonly secretLinks: IntercomSecretLinksService,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The tenant's Intercom connection: the workspace it proved, never the token.",
    description:
      "Connected, it also lists the workspace's identity verification secrets from Intercom (GET /secure_mode_secrets, " +
      'Preview) with the version linked to each. When Intercom cannot be asked, intercomSecretsError says why and the ' +
      'rest still reads; a 401 from Intercom marks the connection broken.',
  })
  @ApiOkResponse({ type: IntercomConnectionDto })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  get(@Param('tenantId') tenantId: string): Promise<IntercomConnectionDto> {
    return this.secretLinks.connectionWithSecrets(tenantId);
  }

  @RequiresRecentMfa()
  @Put()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Connect the Intercom workspace with an access token.',
    description:
      "Intercom's GET /me proves the token and names the workspace: its APP_ID must equal the tenant's (with none " +
      'stored yet, it becomes the APP_ID). The token is sealed by the vault and never shown again; connecting again ' +
      'replaces it.',
  })
  @ApiOkResponse({ type: IntercomConnectionDto })
  @ApiBadRequestResponse({ description: 'accessToken is missing or not shaped like a token.' })
  @ApiConflictResponse({
    description: "The token's workspace is not the tenant's APP_ID (intercom_workspace_mismatch).",
  })
  @ApiUnprocessableEntityResponse({
    description: 'Intercom refused the token: revoked or wrong (intercom_token_rejected).',
  })
  @ApiBadGatewayResponse({
    description: 'Intercom did not answer in time, or answered an error (intercom_unavailable).',
  })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  connect(
    @Param('tenantId') tenantId: string,
    @Body() body: ConnectIntercomDto,
    @Req() req: FastifyRequest,
  ): Promise<IntercomConnectionDto> {
    return this.connections.connect(tenantId, body.accessToken, auditContext(req));
  }

  @Delete()
  @ApiOperation({ summary: 'Disconnect: forget the stored Intercom access token.' })
  @ApiOkResponse({ type: IntercomConnectionDto })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  disconnect(@Param('tenantId') tenantId: string, @Req() req: FastifyRequest): Promise<IntercomConnectionDto> {
    return this.connections.disconnect(tenantId, auditContext(req));
  }
}
