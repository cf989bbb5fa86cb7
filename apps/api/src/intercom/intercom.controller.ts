import { Controller, Get, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { ApiCookieAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IntercomSetupDto } from './dto/intercom.dto';
import { IntercomService } from './intercom.service';

@ApiTags('intercom')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/intercom')
export class IntercomController {
  constructor(private readonly intercom: IntercomService) {}

  @Get()
  @ApiOperation({
    summary:
      "The tenant's Intercom setup: settings, secret versions, per-platform status, the five steps and open problems.",
  })
  @ApiOkResponse({ type: IntercomSetupDto })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  setup(@Param('tenantId') tenantId: string, @Req() req: FastifyRequest): Promise<IntercomSetupDto> {
    return this.intercom.setup(tenantId, auditContext(req));
  }
}
