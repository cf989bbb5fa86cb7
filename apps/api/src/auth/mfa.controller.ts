import { Body, Controller, Delete, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
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
import { AllowedBeforeMfaEnrolment, CurrentUser, Public, SessionUser } from './current-user';
import { CurrentUserDto, OkDto } from './dto/current-user.dto';
import { MfaCodeDto, RecoveryCodesDto, TotpSetupDto } from './dto/mfa.dto';
import { clearMfaCookie, readMfaCookie } from './mfa-cookie';
import { MfaService } from './mfa.service';
import { setSessionCookie } from './session-cookie';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('api/auth/mfa')
export class MfaController {
  constructor(
    private readonly mfa: MfaService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('totp/setup')
  @AllowedBeforeMfaEnrolment()
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiOperation({
    summary:
      'Start TOTP enrolment: a new secret and its otpauth:// URL (for a QR code), shown this once. Not on until enabled with a code.',
  })
  @ApiOkResponse({ type: TotpSetupDto })
  @ApiConflictResponse({ description: 'Two-factor sign-in is already on.' })
  setup(@CurrentUser() user: SessionUser, @Req() req: FastifyRequest): Promise<TotpSetupDto> {
    return this.mfa.setup(user, auditContext(req));
  }

  @Post('totp/enable')
  @AllowedBeforeMfaEnrolment()
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiOperation({
    summary:
      'Turn TOTP on with a first code from the app; answers ten single-use recovery codes, shown this once. Ends the account’s other sessions.',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiUnauthorizedResponse({ description: 'The code is wrong.' })
  @ApiConflictResponse({ description: 'No enrolment started, or already on.' })
  async enable(
    @CurrentUser() user: SessionUser,
    @Body() body: MfaCodeDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecoveryCodesDto> {
    const recoveryCodes = await this.mfa.enable(user, body.code, user.sessionHash, auditContext(req));
    // A privilege change (decision 0049): this session goes on under a new cookie value.
    const renewed = await this.sessions.rotate(user.sessionHash);
    if (renewed) setSessionCookie(reply, req, renewed.token, renewed.expiresAt, this.config.publicUrl);
    return { recoveryCodes };
  }

  @Delete('totp')
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiOperation({
    summary:
      'Turn TOTP off with a current code (or a recovery code); recovery codes are dropped and the account’s other sessions end.',
  })
  @ApiOkResponse({ type: OkDto })
  @ApiUnauthorizedResponse({ description: 'The code is wrong.' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes or passwords; see Retry-After.' })
  async disable(
    @CurrentUser() user: SessionUser,
    @Body() body: MfaCodeDto,
    @Req() req: FastifyRequest,
  ): Promise<OkDto> {
    await this.mfa.disable(user, body.code, user.sessionHash, auditContext(req));
    return { ok: true };
  }

  @Public()
  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Complete a sign-in that answered {mfaRequired: true}: a TOTP code or a recovery code, with the pending sign-in cookie; sets the session cookie.',
  })
  @ApiOkResponse({ type: CurrentUserDto })
  @ApiUnauthorizedResponse({ description: 'Wrong or used code, or no pending sign-in.' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes or passwords; see Retry-After.' })
  async verify(
    @Body() body: MfaCodeDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CurrentUserDto> {
    const { user, token, expiresAt } = await this.mfa.verify(readMfaCookie(req), body.code, {
      ip: req.ip,
      userAgent: req.headers['user-agent'],
      requestId: String(req.id),
    });
    clearMfaCookie(reply, req, this.config.publicUrl);
    setSessionCookie(reply, req, token, expiresAt, this.config.publicUrl);
    return user;
  }
}
