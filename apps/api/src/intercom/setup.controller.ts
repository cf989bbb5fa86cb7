import { Body, Controller, Param, Patch, Put, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, SessionUser } from '../auth/current-user';
import {
  AppIdDto,
  PlatformParams,
  PlatformSecurityDto,
  SetAppIdDto,
  SetPlatformSecurityDto,
  SettingsDto,
  UpdateSettingsDto,
} from './dto/setup.dto';
import { IntercomSettingsService } from './intercom-settings.service';

@ApiTags('intercom')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/intercom')
export class SetupController {
  constructor(private readonly settings: IntercomSettingsService) {}

  @Put('app-id')
  @ApiOperation({ summary: 'Step 1: store the APP_ID, given as the id or any Intercom URL that holds it.' })
  @ApiOkResponse({ type: AppIdDto })
  setAppId(
    @Param('tenantId') tenantId: string,
    @Body() body: SetAppIdDto,
    @Req() req: FastifyRequest,
  ): Promise<AppIdDto> {
    return this.settings.setAppId(tenantId, body.appId, auditContext(req));
  }

  @Put('platforms/:platform')
  @ApiOperation({
    summary: 'Step 3: record whether Messenger Security (JWT verification) is on in Intercom for web, iOS or Android.',
  })
  @ApiOkResponse({ type: PlatformSecurityDto })
  setPlatform(
    @Param() params: PlatformParams,
    @Body() body: SetPlatformSecurityDto,
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<PlatformSecurityDto> {
    return this.settings.setPlatformSecurity(
      params.tenantId,
      params.platform,
      body.securityEnabled,
      user,
      auditContext(req),
    );
  }

  @Patch('settings')
  @ApiOperation({ summary: 'Steps 4 and 5: token lifetime, rotation period, reminder lead time, identity mode.' })
  @ApiOkResponse({ type: SettingsDto })
  updateSettings(
    @Param('tenantId') tenantId: string,
    @Body() body: UpdateSettingsDto,
    @Req() req: FastifyRequest,
  ): Promise<SettingsDto> {
    return this.settings.updateSettings(tenantId, body, auditContext(req));
  }
}
