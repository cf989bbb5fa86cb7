import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CurrentUser, SessionUser } from './current-user';
import { MfaCodeDto } from './dto/mfa.dto';
import { StepUpService } from './step-up.service';
import { PasskeyAssertionDto, StepUpDto, WEBAUTHN_OPTIONS_SCHEMA } from './webauthn/passkey.dto';
import { PasskeysService } from './webauthn/passkeys.service';
import { relyingParty } from './webauthn/relying-party';

@ApiTags('auth')
@ApiCookieAuth()
@Controller('api/auth/step-up')
export class StepUpController {
  constructor(
    private readonly stepUp: StepUpService,
    private readonly passkeys: PasskeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Confirm it is you before a sensitive action (answered 403 step_up_required): a TOTP or recovery code. Good for 10 minutes on this session.',
  })
  @ApiOkResponse({ type: StepUpDto })
  @ApiUnauthorizedResponse({ description: 'mfa_code_invalid: wrong or used code.' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes or passwords; see Retry-After.' })
  @ApiConflictResponse({ description: 'The account has no two-factor sign-in.' })
  async withCode(
    @CurrentUser() user: SessionUser,
    @Body() body: MfaCodeDto,
    @Req() req: FastifyRequest,
  ): Promise<StepUpDto> {
    const until = await this.stepUp.withCode(user, body.code, auditContext(req));
    return { ok: true, freshUntil: until.toISOString() };
  }

  @Post('passkey/options')
  @HttpCode(200)
  @ApiOperation({ summary: 'WebAuthn request options to confirm it is you with a passkey (bound to this session).' })
  @ApiOkResponse({ schema: WEBAUTHN_OPTIONS_SCHEMA })
  @ApiConflictResponse({ description: 'The account has no passkey.' })
  passkeyOptions(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.stepUpOptions(user, relyingParty(this.config.publicUrl, req));
  }

  @Post('passkey')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm it is you with a passkey assertion. Good for 10 minutes on this session.' })
  @ApiOkResponse({ type: StepUpDto })
  @ApiUnauthorizedResponse({ description: 'passkey_rejected.' })
  async withPasskey(
    @CurrentUser() user: SessionUser,
    @Body() body: PasskeyAssertionDto,
    @Req() req: FastifyRequest,
  ): Promise<StepUpDto> {
    const context = auditContext(req);
    await this.passkeys.stepUp(user, body.response, relyingParty(this.config.publicUrl, req), context);
    const until = await this.stepUp.succeeded(user, 'passkey', context);
    return { ok: true, freshUntil: until.toISOString() };
  }
}
