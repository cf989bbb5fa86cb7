import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
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
import { CurrentUser, type SessionUser } from '../auth/current-user';
import { CompletedIntercomOAuthDto, CompleteIntercomOAuthDto, StartIntercomOAuthDto } from './dto/connection.dto';
import { IntercomOAuthService } from './intercom-oauth.service';
import { RequiresRecentMfa } from '../auth/step-up.guard';

/** "Connect with Intercom": started under the tenant, completed at the one redirect URL Intercom knows. */
@ApiTags('intercom')
@ApiCookieAuth()
@Controller()
export class IntercomOAuthController {
  constructor(private readonly oauth: IntercomOAuthService) {}

  @Post('api/tenants/:tenantId/intercom/connection/oauth')
  @RequiresRecentMfa()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start "Connect with Intercom": the authorize URL to send the browser to.',
    description:
      "A random state, bound to this session and tenant, single-use and valid for 10 minutes, is part of Intercom's " +
      'authorize URL; Intercom sends the browser back to PUBLIC_URL/intercom/oauth/callback, whose page completes it.',
  })
  @ApiOkResponse({ type: StartIntercomOAuthDto })
  @ApiNotFoundResponse({
    description: 'No such tenant, or not yours; or OAuth is not configured (intercom_oauth_not_configured).',
  })
  start(@Param('tenantId') tenantId: string, @CurrentUser() user: SessionUser): Promise<StartIntercomOAuthDto> {
    return this.oauth.start(tenantId, user);
  }

  @Post('api/intercom/oauth/callback')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Complete "Connect with Intercom" with the code and state Intercom sent back.',
    description:
      'The state must be one this session started, unused and unexpired; the code is traded at Intercom for an ' +
      'access token, which is then checked with GET /me and sealed exactly like a pasted token.',
  })
  @ApiOkResponse({ type: CompletedIntercomOAuthDto })
  @ApiBadRequestResponse({
    description:
      'code or state missing; or the state is unknown, used, expired or another session’s (intercom_oauth_state_invalid).',
  })
  @ApiConflictResponse({ description: "The workspace is not the tenant's APP_ID (intercom_workspace_mismatch)." })
  @ApiUnprocessableEntityResponse({
    description: 'Intercom refused the code (intercom_oauth_code_rejected) or the token (intercom_token_rejected).',
  })
  @ApiBadGatewayResponse({ description: 'Intercom did not answer in time (intercom_unavailable).' })
  @ApiNotFoundResponse({ description: 'OAuth is not configured, or the tenant is no longer yours.' })
  complete(
    @Body() body: CompleteIntercomOAuthDto,
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<CompletedIntercomOAuthDto> {
    return this.oauth.complete(user, body.code, body.state, auditContext(req));
  }
}
