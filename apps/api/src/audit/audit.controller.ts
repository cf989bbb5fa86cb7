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
import {
  AuditFilterQuery,
  AuditPageDto,
  AuditVerificationDto,
  ListAuditQuery,
  VerifyAuditQuery,
} from './dto/audit.dto';

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
  @ApiOperation({
    summary:
      'Check the hash chain in batches, the whole of it unless from=checkpoint; names the first event that was ' +
      'changed or removed (staff). A valid run leaves a checkpoint at the last event it checked.',
  })
  @ApiOkResponse({ type: AuditVerificationDto })
  @ApiForbiddenResponse({ description: 'Only staff may verify the trail.' })
  async verify(@Query() query: VerifyAuditQuery): Promise<AuditVerificationDto> {
    const { valid, checked, firstBrokenId, resumedFromSeq } = await this.audit.verify({
      fromCheckpoint: query.from === 'checkpoint',
    });
    return { valid, checked, firstBrokenId, resumedFromSeq };
  }
}
