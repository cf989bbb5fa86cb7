import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffOnly } from '../auth/current-user';
import { IntegrationPageDto, IntegrationsQuery, TokenUsageDto, TokenUsageQuery } from './dto/staff.dto';
import { StaffOverviewService } from './staff-overview.service';

@ApiTags('staff')
@ApiCookieAuth()
@StaffOnly()
@Controller('api/staff')
export class StaffController {
  constructor(private readonly overview: StaffOverviewService) {}

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

  @Get('token-usage')
  @ApiOperation({ summary: 'Tokens issued per platform per day, across tenants or for one.' })
  @ApiOkResponse({ type: TokenUsageDto })
  tokenUsage(@Query() query: TokenUsageQuery): Promise<TokenUsageDto> {
    return this.overview.tokenUsage(query);
  }
}
