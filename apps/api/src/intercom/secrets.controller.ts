import { Body, Controller, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PLATFORMS } from '@messenger-vault/intercom';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { SavedSecretDto, SaveSecretDto, SecretVersionDto, SecretVersionParams } from '../vault/dto/secret.dto';
import { SecretVersionsService } from '../vault/secret-versions.service';
import { RequiresRecentMfa } from '../auth/step-up.guard';

@ApiTags('intercom')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/intercom')
export class SecretsController {
  constructor(private readonly versions: SecretVersionsService) {}

  @RequiresRecentMfa()
  @Put('secret')
  // Each save creates a new numbered version, so it answers like any other create (docs/decisions/0006).
  @HttpCode(201)
  @ApiOperation({
    summary: 'Save the Messenger API secret key (step 2) as a new version.',
    description:
      'The key is envelope-encrypted and never shown again. The new version signs for its platforms; an older ' +
      'version left signing for none becomes "previous".',
  })
  @ApiCreatedResponse({ type: SavedSecretDto })
  @ApiBadRequestResponse({ description: 'The key is not 16 to 512 printable ASCII characters, or platforms is wrong.' })
  save(
    @Param('tenantId') tenantId: string,
    @Body() body: SaveSecretDto,
    @Req() req: FastifyRequest,
  ): Promise<SavedSecretDto> {
    return this.versions.save(tenantId, body.secret, body.platforms ?? PLATFORMS, auditContext(req));
  }

  @Post('secrets/:version/retire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire a secret version that no longer signs for any platform.' })
  @ApiOkResponse({ type: SecretVersionDto })
  @ApiNotFoundResponse({ description: 'No such version in this tenant.' })
  @ApiConflictResponse({ description: 'The version still signs for a platform: save its replacement first.' })
  retire(@Param() params: SecretVersionParams, @Req() req: FastifyRequest): Promise<SecretVersionDto> {
    return this.versions.retire(params.tenantId, params.version, auditContext(req));
  }
}
