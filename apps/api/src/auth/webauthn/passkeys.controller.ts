import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../../audit/audit-context';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { AllowedBeforeMfaEnrolment, CurrentUser, SessionUser } from '../current-user';
import { OkDto } from '../dto/current-user.dto';
import { RequiresRecentMfa } from '../step-up.guard';
import {
  PasskeyDto,
  PasskeyListDto,
  RegisterPasskeyDto,
  RenamePasskeyDto,
  WEBAUTHN_OPTIONS_SCHEMA,
} from './passkey.dto';
import { PasskeysService } from './passkeys.service';
import { relyingParty } from './relying-party';

@ApiTags('auth')
@ApiCookieAuth()
@Controller('api/auth/passkeys')
export class PasskeysController {
  constructor(
    private readonly passkeys: PasskeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @AllowedBeforeMfaEnrolment()
  @ApiOperation({ summary: "The signed-in account's passkeys (never the keys themselves)." })
  @ApiOkResponse({ type: PasskeyListDto })
  async list(@CurrentUser() user: SessionUser): Promise<PasskeyListDto> {
    return { items: await this.passkeys.list(user.id) };
  }

  @Post('registration-options')
  @AllowedBeforeMfaEnrolment()
  @RequiresRecentMfa()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Start adding a passkey: WebAuthn creation options for navigator.credentials.create (the challenge is single use, 2 minutes).',
  })
  @ApiOkResponse({ schema: WEBAUTHN_OPTIONS_SCHEMA })
  registrationOptions(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return this.passkeys.registrationOptions(user, relyingParty(this.config.publicUrl, req));
  }

  @Post()
  @AllowedBeforeMfaEnrolment()
  @RequiresRecentMfa()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Finish adding a passkey with the authenticator’s answer. Turns two-factor sign-in on if it was off; ends the account’s other sessions. Audited.',
  })
  @ApiOkResponse({ type: PasskeyDto })
  @ApiBadRequestResponse({ description: 'The answer does not verify (origin, challenge, signature), or expired.' })
  register(
    @CurrentUser() user: SessionUser,
    @Body() body: RegisterPasskeyDto,
    @Req() req: FastifyRequest,
  ): Promise<PasskeyDto> {
    return this.passkeys.register(
      user,
      body.response,
      body.name,
      relyingParty(this.config.publicUrl, req),
      auditContext(req),
    );
  }

  @Patch(':passkeyId')
  @ApiOperation({ summary: 'Rename a passkey. Audited.' })
  @ApiOkResponse({ type: PasskeyDto })
  @ApiNotFoundResponse({ description: 'No such passkey on this account.' })
  rename(
    @CurrentUser() user: SessionUser,
    @Param('passkeyId') passkeyId: string,
    @Body() body: RenamePasskeyDto,
    @Req() req: FastifyRequest,
  ): Promise<PasskeyDto> {
    return this.passkeys.rename(user, passkeyId, body.name, auditContext(req));
  }

  @Delete(':passkeyId')
  @RequiresRecentMfa()
  @ApiOperation({
    summary:
      'Remove a passkey; it stops working at once and the account’s other sessions end. With no passkey and no TOTP left, two-factor sign-in is off. Audited.',
  })
  @ApiOkResponse({ type: OkDto })
  @ApiNotFoundResponse({ description: 'No such passkey on this account.' })
  async remove(
    @CurrentUser() user: SessionUser,
    @Param('passkeyId') passkeyId: string,
    @Req() req: FastifyRequest,
  ): Promise<OkDto> {
    await this.passkeys.remove(user, passkeyId, auditContext(req));
    return { ok: true };
  }
}
