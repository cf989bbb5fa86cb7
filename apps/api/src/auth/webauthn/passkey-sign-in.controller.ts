import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { Public } from '../current-user';
import { CurrentUserDto } from '../dto/current-user.dto';
import { clearMfaCookie, readMfaCookie } from '../mfa-cookie';
import { setSessionCookie } from '../session-cookie';
import { PasskeyAssertionDto, WEBAUTHN_OPTIONS_SCHEMA } from './passkey.dto';
import { PasskeysService } from './passkeys.service';
import { relyingParty } from './relying-party';

/** Under /api/auth/mfa/verify so the pending sign-in cookie (scoped to that path) reaches it. */
@ApiTags('auth')
@Controller('api/auth/mfa/verify/passkey')
export class PasskeySignInController {
  constructor(
    private readonly passkeys: PasskeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('options')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'After {mfaRequired: true, methods: [..., "passkey"]}: WebAuthn request options for the account’s passkeys (pending sign-in cookie).',
  })
  @ApiOkResponse({ schema: WEBAUTHN_OPTIONS_SCHEMA })
  @ApiUnauthorizedResponse({ description: 'No pending sign-in, or it expired.' })
  @ApiConflictResponse({ description: 'The account has no passkey.' })
  options(@Req() req: FastifyRequest): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.signInOptions(readMfaCookie(req), relyingParty(this.config.publicUrl, req));
  }

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Complete a pending sign-in with a passkey instead of a code; sets the session cookie. Audited.',
  })
  @ApiOkResponse({ type: CurrentUserDto })
  @ApiUnauthorizedResponse({
    description: 'passkey_rejected: not this account’s passkey, removed, wrong origin, or a used challenge.',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many failures; see Retry-After.' })
  async verify(
    @Body() body: PasskeyAssertionDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CurrentUserDto> {
    const { user, token, expiresAt } = await this.passkeys.signIn(
      readMfaCookie(req),
      body.response,
      { ip: req.ip, userAgent: req.headers['user-agent'], requestId: String(req.id) },
      relyingParty(this.config.publicUrl, req),
    );
    clearMfaCookie(reply, req, this.config.publicUrl);
    setSessionCookie(reply, req, token, expiresAt, this.config.publicUrl);
    return user;
  }
}
