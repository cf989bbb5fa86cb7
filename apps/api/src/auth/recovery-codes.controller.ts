import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { CurrentUser, SessionUser } from './current-user';
import { MfaCodeDto, RecoveryCodesDto } from './dto/mfa.dto';
import { RecoveryCodesService } from './recovery-codes.service';

@ApiTags('auth')
@Controller('api/auth/mfa/recovery-codes')
export class RecoveryCodesController {
  constructor(private readonly recoveryCodes: RecoveryCodesService) {}

  @Post()
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiOperation({
    summary:
      'Ten new recovery codes, shown this once; the old ones stop working. Takes a current code (or a recovery code) and ends the account’s other sessions.',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiUnauthorizedResponse({ description: 'The code is wrong.' })
  @ApiConflictResponse({ description: 'Two-factor sign-in is off.' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes or passwords; see Retry-After.' })
  async regenerate(
    @CurrentUser() user: SessionUser,
    @Body() body: MfaCodeDto,
    @Req() req: FastifyRequest,
  ): Promise<RecoveryCodesDto> {
    const { codes } = await this.recoveryCodes.regenerate(user, body.code, auditContext(req));
    return { recoveryCodes: codes };
  }
}
