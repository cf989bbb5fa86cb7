import { Controller, Delete, Get, HttpCode, Param, Query, Req, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import {
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { OkDto } from '../auth/dto/current-user.dto';
import { MfaService } from '../auth/mfa.service';
import { RequiresRecentMfa } from '../auth/step-up.guard';
import { StaffOnly } from '../auth/current-user';
import { notFound } from '../common/errors';
import { canonicalUuid } from '../common/ids';
import {
  IntegrationPageDto,
  IntegrationsFilterQuery,
  IntegrationsQuery,
  TokenUsageDto,
  TokenUsageQuery,
} from './dto/staff.dto';
import { StaffOverviewService } from './staff-overview.service';

@ApiTags('staff')
@ApiCookieAuth()
@StaffOnly()
@Controller('api/staff')
export class StaffController {
  constructor(
    private readonly overview: StaffOverviewService,
    private readonly mfa: MfaService,
  ) {}

  @Get('integrations')
  @ApiOperation({
    summary:
      "Every tenant's integration at a glance: APP_ID, secret age and rotation, identity mode, per-platform security and traffic, open problems.",
  })
  @ApiOkResponse({ type: IntegrationPageDto })
  @ApiForbiddenResponse({ description: 'Staff only.' })
  integrations(@Query() query: IntegrationsQuery): Promise<IntegrationPageDto> {
    return this.overview.integrations(query);
  }

  @Get('integrations/export.csv')
  @ApiOperation({ summary: 'Every row of the overview matching the filters, in the asked order, as CSV (streamed).' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'RFC 4180 CSV; cells a spreadsheet would run as formulas start with a quote.' })
  @ApiForbiddenResponse({ description: 'Staff only.' })
  exportCsv(@Query() query: IntegrationsFilterQuery): StreamableFile {
    const day = new Date().toISOString().slice(0, 10);
    return new StreamableFile(Readable.from(this.overview.exportCsv(query)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="integrations-${day}.csv"`,
    });
  }

  @Get('token-usage')
  @ApiOperation({ summary: 'Tokens issued per platform per day, across tenants or for one.' })
  @ApiOkResponse({ type: TokenUsageDto })
  tokenUsage(@Query() query: TokenUsageQuery): Promise<TokenUsageDto> {
    return this.overview.tokenUsage(query);
  }

  @RequiresRecentMfa()
  @Delete('users/:userId/mfa')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Reset an account's two-factor sign-in (a lost device): TOTP and recovery codes are removed and every session of that account ends. Audited.",
  })
  @ApiOkResponse({ type: OkDto })
  @ApiForbiddenResponse({ description: 'Staff only.' })
  @ApiNotFoundResponse({ description: 'No such user.' })
  async resetMfa(@Param('userId') userId: string, @Req() req: FastifyRequest): Promise<OkDto> {
    const id = canonicalUuid(userId);
    if (id === null) throw notFound('User');
    await this.mfa.reset(id, auditContext(req));
    return { ok: true };
  }
}
