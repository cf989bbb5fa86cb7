import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/current-user';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('healthz')
  @ApiOperation({ summary: 'The process is alive.' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({
    summary:
      'The database is reachable, migrations are applied, a staff user exists and every HSM or KMS master key answers.',
  })
  @ApiOkResponse({
    schema: {
      example: { status: 'ready', checks: { database: 'ok', migrations: 'ok', staffUser: 'ok', vaultKeys: 'ok' } },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'Not ready; `checks` says which part is missing.' })
  ready() {
    return this.health.readiness();
  }
}
