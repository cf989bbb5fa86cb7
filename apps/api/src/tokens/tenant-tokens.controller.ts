import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  DebugTokenDto,
  DebugTokenResultDto,
  IdentityProviderDto,
  IdentityProviderResponseDto,
  TestTokenDto,
  TestTokenResultDto,
} from './dto/identity-provider.dto';
import { IdentityProviderService } from './identity-provider.service';
import { TokenDebuggerService } from './token-debugger.service';
import { TokenIssuerService } from './token-issuer.service';
import { parseTokenRequest } from './token-request';

@ApiTags('intercom setup')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/intercom')
export class TenantTokensController {
  constructor(
    private readonly debuggerService: TokenDebuggerService,
    private readonly issuer: TokenIssuerService,
    private readonly identityProviders: IdentityProviderService,
    private readonly audit: AuditService,
  ) {}

  @Post('debug-token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The token debugger: decode a JWT, verify it against the stored secret, explain every problem.',
  })
  @ApiOkResponse({ type: DebugTokenResultDto })
  @ApiConflictResponse({ description: 'No secret saved yet.' })
  debugToken(@Param('tenantId') tenantId: string, @Body() body: DebugTokenDto): Promise<DebugTokenResultDto> {
    return this.debuggerService.inspect(tenantId, body.token.trim());
  }

  @Post('test-token')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Issue a token for a test user, in the tenant\'s identity mode (the wizard\'s "try it" step). Audited as token.test_issued (user id and platform; never the token).',
  })
  @ApiOkResponse({ type: TestTokenResultDto })
  @ApiConflictResponse({ description: 'No APP_ID or no active key for the platform.' })
  async testToken(
    @Param('tenantId') tenantId: string,
    @Body() body: TestTokenDto,
    @Req() req: FastifyRequest,
  ): Promise<TestTokenResultDto> {
    const request = parseTokenRequest(body);
    const issued = await this.issuer.issue(tenantId, request, { count: false });
    // A test token is a real token that Intercom accepts for that user: who minted one, for whom,
    // is in the trail. The token itself never is.
    await this.audit.record({
      ...auditContext(req),
      action: 'token.test_issued',
      tenantId,
      target: { type: 'platform', id: request.platform },
      metadata: {
        userId: request.userId,
        platform: request.platform,
        mode: issued.mode,
        secretVersion: issued.version,
      },
    });
    return issued.mode === 'jwt'
      ? {
          mode: 'jwt',
          token: issued.token,
          expiresAt: issued.expiresAt,
          appId: issued.appId,
          keyVersion: issued.version,
        }
      : { mode: 'hmac', userHash: issued.userHash, appId: issued.appId, keyVersion: issued.version };
  }

  @Get('identity-provider')
  @ApiOperation({ summary: "The tenant's identity provider for token exchange." })
  @ApiOkResponse({ type: IdentityProviderResponseDto })
  @ApiNotFoundResponse({ description: 'No identity provider is configured yet.' })
  getIdentityProvider(@Param('tenantId') tenantId: string): Promise<IdentityProviderResponseDto> {
    return this.identityProviders.get(tenantId);
  }

  @Put('identity-provider')
  @ApiOperation({
    summary:
      'Set the identity provider whose ID tokens the exchange endpoint accepts, and the browser origins allowed to call it.',
  })
  @ApiOkResponse({ type: IdentityProviderResponseDto })
  @ApiBadRequestResponse({
    description:
      'A field is invalid; jwksUrl must be https (http to localhost only outside production) and, in production, lead to a public address.',
  })
  putIdentityProvider(
    @Param('tenantId') tenantId: string,
    @Body() body: IdentityProviderDto,
    @Req() req: FastifyRequest,
  ): Promise<IdentityProviderResponseDto> {
    return this.identityProviders.put(tenantId, body, auditContext(req));
  }
}
