import { Body, Controller, Delete, HttpCode, Param, Put, Req } from '@nestjs/common';
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
import { SecretVersionParams } from '../vault/dto/secret.dto';
import { IntercomSecretLinkDto, LinkIntercomSecretDto } from './dto/connection.dto';
import { IntercomSecretLinksService } from './intercom-secret-links.service';

@ApiTags('intercom')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/intercom/secrets/:version/intercom-secret')
export class IntercomSecretLinksController {
  constructor(private readonly links: IntercomSecretLinksService) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Link a stored secret version to the Intercom secret it is.',
    description:
      "Intercom never shows a secret's value again, so a version pasted by hand is linked by the admin. The id must be " +
      'one Intercom lists for the workspace now. A rotation deletes in Intercom only the secret linked to the version it ' +
      'replaces. Linking again to the same secret changes nothing.',
  })
  @ApiOkResponse({ type: IntercomSecretLinkDto })
  @ApiBadRequestResponse({ description: 'version or intercomSecretId malformed.' })
  @ApiNotFoundResponse({ description: 'No such version in this tenant, or no such tenant.' })
  @ApiConflictResponse({
    description:
      'Not connected to Intercom (intercom_not_connected), or the Intercom secret is linked to another version (intercom_secret_already_linked).',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'Intercom lists no such secret (intercom_secret_unknown), or refused the stored token (intercom_token_rejected).',
  })
  @ApiBadGatewayResponse({ description: 'Intercom did not answer (intercom_unavailable).' })
  link(
    @Param() params: SecretVersionParams,
    @Body() body: LinkIntercomSecretDto,
    @Req() req: FastifyRequest,
  ): Promise<IntercomSecretLinkDto> {
    return this.links.link(params.tenantId, params.version, body.intercomSecretId, auditContext(req));
  }

  @Delete()
  @ApiOperation({ summary: 'Unlink a secret version from its Intercom secret (Intercom is not asked).' })
  @ApiOkResponse({ type: IntercomSecretLinkDto })
  @ApiNotFoundResponse({ description: 'No such version in this tenant, or no such tenant.' })
  unlink(@Param() params: SecretVersionParams, @Req() req: FastifyRequest): Promise<IntercomSecretLinkDto> {
    return this.links.unlink(params.tenantId, params.version, auditContext(req));
  }
}
