import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CurrentUser, SessionUser } from './current-user';
import { ChangePasswordDto } from './dto/password.dto';
import { SessionsEndedDto } from './dto/sessions.dto';
import { PasswordChangeService } from './password-change.service';
import { setSessionCookie } from './session-cookie';

@ApiTags('auth')
@Controller('api/auth/password')
export class PasswordController {
  constructor(
    private readonly passwords: PasswordChangeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiOperation({
    summary:
      'Change your password with the current one. Every other session of the account ends; this browser gets a new session.',
  })
  @ApiOkResponse({ type: SessionsEndedDto })
  @ApiUnauthorizedResponse({ description: 'The current password is incorrect, or not signed in.' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong passwords; see Retry-After.' })
  async change(
    @CurrentUser() user: SessionUser,
    @Body() body: ChangePasswordDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionsEndedDto> {
    const { token, expiresAt, ended } = await this.passwords.change(
      user,
      body.currentPassword,
      body.newPassword,
      auditContext(req),
      req.headers['user-agent'],
    );
    setSessionCookie(reply, req, token, expiresAt, this.config.publicUrl);
    return { ok: true, ended };
  }
}
