import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthService } from './auth.service';
import { AllowedBeforeMfaEnrolment, CurrentUser, Public, SessionUser } from './current-user';
import { CurrentUserDto, LogoutAllDto, OkDto } from './dto/current-user.dto';
import { LoginDto } from './dto/login.dto';
import { MfaRequiredDto } from './dto/mfa.dto';
import { setMfaCookie } from './mfa-cookie';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sign in with email and password; sets the session cookie. With two-factor sign-in on, answers {mfaRequired: true} and no session: complete it with POST /api/auth/mfa/verify.',
  })
  @ApiExtraModels(CurrentUserDto, MfaRequiredDto)
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(CurrentUserDto) }, { $ref: getSchemaPath(MfaRequiredDto) }] },
  })
  @ApiUnauthorizedResponse({ description: 'Email or password is incorrect.' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this account or IP; see Retry-After.' })
  async login(
    @Body() body: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CurrentUserDto | MfaRequiredDto> {
    const outcome = await this.auth.login(body.email, body.password, {
      ip: req.ip,
      userAgent: req.headers['user-agent'],
      requestId: String(req.id),
    });
    if (outcome.mfaRequired) {
      setMfaCookie(reply, req, outcome.challenge.token, outcome.challenge.expiresAt, this.config.publicUrl);
      return { mfaRequired: true, methods: outcome.methods };
    }
    setSessionCookie(reply, req, outcome.token, outcome.expiresAt, this.config.publicUrl);
    return outcome.user;
  }

  @Post('logout')
  @AllowedBeforeMfaEnrolment()
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'End the current session.' })
  @ApiOkResponse({ type: OkDto })
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<OkDto> {
    const token = readSessionCookie(req);
    if (token) await this.auth.logout(token, auditContext(req));
    clearSessionCookie(reply, req, this.config.publicUrl);
    return { ok: true };
  }

  @Post('logout-all')
  @AllowedBeforeMfaEnrolment()
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Sign out everywhere: end every session of the signed-in user, on every device, this one included.',
  })
  @ApiOkResponse({ type: LogoutAllDto })
  @ApiUnauthorizedResponse({ description: 'Not signed in.' })
  async logoutAll(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LogoutAllDto> {
    const sessionsEnded = await this.auth.logoutEverywhere(user.id, auditContext(req));
    clearSessionCookie(reply, req, this.config.publicUrl);
    return { ok: true, sessionsEnded };
  }

  @Get('me')
  @AllowedBeforeMfaEnrolment()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'The signed-in user and the tenants they administer.' })
  @ApiOkResponse({ type: CurrentUserDto })
  me(@CurrentUser() user: SessionUser): Promise<CurrentUserDto> {
    return this.auth.describeSession(user);
  }
}
