import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AllowedBeforeMfaEnrolment, CurrentUser, SessionUser } from './current-user';
import { SessionListDto, SessionsEndedDto } from './dto/sessions.dto';
import { clearSessionCookie } from './session-cookie';
import { SessionsListService } from './sessions-list.service';

/** The signed-in account's own sessions (decision 0049). Allowed before MFA enrolment: signing out is always safe. */
@ApiTags('auth')
@ApiCookieAuth()
@ApiUnauthorizedResponse({ description: 'Not signed in.' })
@Controller('api/auth/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsListService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @AllowedBeforeMfaEnrolment()
  @ApiOperation({
    summary: 'The signed-in account’s sessions: device, IP, signed in, last seen, and which is this one.',
  })
  @ApiOkResponse({ type: SessionListDto })
  async list(@CurrentUser() user: SessionUser): Promise<SessionListDto> {
    return { sessions: await this.sessions.list(user) };
  }

  @Delete(':id')
  @AllowedBeforeMfaEnrolment()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out one of your sessions (this one too, which clears the cookie).' })
  @ApiNoContentResponse({ description: 'Signed out.' })
  @ApiNotFoundResponse({ description: 'No such session of yours (another account’s session is a 404 too).' })
  async end(
    @CurrentUser() user: SessionUser,
    @Param('id') id: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { current } = await this.sessions.end(user, id, auditContext(req));
    if (current) clearSessionCookie(reply, req, this.config.publicUrl);
  }

  @Post('revoke-others')
  @AllowedBeforeMfaEnrolment()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign out everywhere else: every session of yours but this one.' })
  @ApiOkResponse({ type: SessionsEndedDto })
  async endOthers(@CurrentUser() user: SessionUser, @Req() req: FastifyRequest): Promise<SessionsEndedDto> {
    return { ok: true, ended: await this.sessions.endOthers(user, auditContext(req)) };
  }
}
