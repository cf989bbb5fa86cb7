import { Controller, Get, Param } from '@nestjs/common';
import { ApiCookieAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IntercomSetupDto } from './dto/intercom.dto';
import { IntercomService } from './intercom.service';

@ApiTags('intercom')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/intercom')
export class IntercomController {
  constructor(private readonly intercom: IntercomService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's Intercom setup: the signing secret key and every saved version." })
  @ApiOkResponse({ type: IntercomSetupDto })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  setup(@Param('tenantId') tenantId: string): Promise<IntercomSetupDto> {
    return this.intercom.setup(tenantId);
  }
}
