import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestInfo } from '../audit/audit-context';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthService } from '../auth/auth.service';
import { Public } from '../auth/current-user';
import { CurrentUserDto } from '../auth/dto/current-user.dto';
import { setSessionCookie } from '../auth/session-cookie';
import { AcceptInvitationDto } from './dto/tenant.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('tenants')
@Controller('api/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation: creates the account (or links an existing one) and signs in.' })
  @ApiOkResponse({ type: CurrentUserDto })
  @ApiConflictResponse({ description: 'The invitation was already used or has expired.' })
  async accept(
    @Body() body: AcceptInvitationDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CurrentUserDto> {
    const { userId } = await this.invitations.accept(body.token, body.password, requestInfo(req));
    const { token, expiresAt } = await this.auth.startSession(userId, {
      ip: req.ip,
      userAgent: req.headers['user-agent'],
    });
    setSessionCookie(reply, req, token, expiresAt, this.config.publicUrl);
    return this.auth.me(userId);
  }
}
