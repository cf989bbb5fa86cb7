import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { CurrentUser, SessionUser, StaffOnly } from '../auth/current-user';
import { AuditService } from './audit.service';
import { AuditFilterQuery, AuditPageDto, AuditVerificationDto, ListAuditQuery } from './dto/audit.dto';

@ApiTags('audit')
@ApiCookieAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'Audit events, newest first. Staff read all; a tenant admin reads only their own tenants.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiNotFoundResponse({ description: 'tenantId names a tenant the signed-in admin does not administer.' })
  list(@CurrentUser() user: SessionUser, @Query() query: ListAuditQuery): Promise<AuditPageDto> {
    return this.audit.list(user, query);
  }

  @Get('export.csv')
  @StaffOnly()
  @ApiOperation({ summary: 'The audit events matching the filters as CSV, newest first (staff).' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'RFC 4180 CSV; cells a spreadsheet would run as formulas start with a quote.' })
  @ApiForbiddenResponse({ description: 'Only staff may export the trail.' })
  exportCsv(@Query() query: AuditFilterQuery): StreamableFile {
    const day = new Date().toISOString().slice(0, 10);
    return new StreamableFile(Readable.from(this.audit.exportCsv(query)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="audit-${day}.csv"`,
    });
  }

  @Get('verify')
  @StaffOnly()
  @ApiOperation({ summary: 'Check the whole hash chain; names the first event that was changed or removed (staff).' })
  @ApiOkResponse({ type: AuditVerificationDto })
  @ApiForbiddenResponse({ description: 'Only staff may verify the trail.' })
  async verify(): Promise<AuditVerificationDto> {
    const { valid, checked, firstBrokenId } = await this.audit.verify();
    return { valid, checked, firstBrokenId };
  }
}
