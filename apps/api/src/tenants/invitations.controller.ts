import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestInfo } from '../audit/audit-context';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthService } from '../auth/auth.service';
import { Public } from '../auth/current-user';
import { CurrentUserDto } from '../auth/dto/current-user.dto';
import { readSessionCookie, setSessionCookie } from '../auth/session-cookie';
import { SessionsService } from '../auth/sessions.service';
import { AcceptInvitationDto } from './dto/tenant.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('tenants')
@Controller('api/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Public, because a new invitee has no account yet; an existing account's session is read here. */
  @Public()
  @Post('accept')
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiOperation({
    summary:
      'Accept an invitation. A new email: send a password, the account is created and signed in. An existing account: call it signed in as that account (no password); the session is renewed.',
  })
  @ApiOkResponse({ type: CurrentUserDto })
  @ApiBadRequestResponse({ description: 'A new account needs a password of at least 12 characters.' })
  @ApiUnauthorizedResponse({
    description:
      'code sign_in_required: the email already has an account. Nothing changed; sign in as it and call again.',
  })
  @ApiForbiddenResponse({
    description: 'code invitation_wrong_account: signed in as an account the invitation was not sent to.',
  })
  @ApiNotFoundResponse({ description: 'No such invitation.' })
  @ApiConflictResponse({ description: 'The invitation was already used or has expired.' })
  async accept(
    @Body() body: AcceptInvitationDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CurrentUserDto> {
    const cookie = readSessionCookie(req);
    const signedIn = cookie ? await this.sessions.resolve(cookie) : null;
    const { userId } = await this.invitations.accept(body.token, body.password, signedIn, requestInfo(req));
    // A new membership is a privilege change: the session id changes with it.
    if (signedIn) await this.sessions.destroyByHash(signedIn.sessionHash);
    const { token, expiresAt } = await this.auth.startSession(userId, {
      ip: req.ip,
      userAgent: req.headers['user-agent'],
    });
    setSessionCookie(reply, req, token, expiresAt, this.config.publicUrl);
    return this.auth.me(userId);
  }
}
