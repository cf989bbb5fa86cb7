import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
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
import { AuthService } from './auth.service';
import { CurrentUser, Public, SessionUser } from './current-user';
import { CurrentUserDto, LogoutAllDto, OkDto } from './dto/current-user.dto';
import { LoginDto } from './dto/login.dto';
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
  @ApiOperation({ summary: 'Sign in with email and password; sets the session cookie.' })
  @ApiOkResponse({ type: CurrentUserDto })
  @ApiUnauthorizedResponse({ description: 'Email or password is incorrect.' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this account or IP; see Retry-After.' })
  async login(
    @Body() body: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CurrentUserDto> {
    const { user, token, expiresAt } = await this.auth.login(body.email, body.password, {
      ip: req.ip,
      userAgent: req.headers['user-agent'],
      requestId: String(req.id),
    });
    setSessionCookie(reply, req, token, expiresAt, this.config.publicUrl);
    return user;
  }

  @Post('logout')
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
  @ApiCookieAuth()
  @ApiOperation({ summary: 'The signed-in user and the tenants they administer.' })
  @ApiOkResponse({ type: CurrentUserDto })
  me(@CurrentUser() user: SessionUser): Promise<CurrentUserDto> {
    return this.auth.me(user.id);
  }
}
