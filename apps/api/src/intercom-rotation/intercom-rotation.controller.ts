import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { ListRotationsQuery, RotationDto, RotationListDto } from './dto/rotation.dto';
import { IntercomRotationsService } from './intercom-rotations.service';

@ApiTags('intercom')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/intercom/rotations')
export class IntercomRotationController {
  constructor(private readonly rotations: IntercomRotationsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rotate the Messenger secret now, through the Intercom connection.',
    description:
      'Starts a run: creating (a new secret in Intercom per version that signs, with the same platforms, sealed and ' +
      'stored as it arrives) → overlapping (the new secret signs every token; the old one still verifies, for the ' +
      "tenant's token lifetime plus 5 minutes) → deleting_old (the old secret deleted in Intercom when it was linked, " +
      'the old version retired) → done, or failed with a reason. Follow it with GET .../rotations/{id}.',
  })
  @ApiAcceptedResponse({ type: RotationDto })
  @ApiBadRequestResponse({ description: 'A body was sent; this endpoint takes none.' })
  @ApiConflictResponse({
    description:
      'A rotation is already running (rotation_in_progress), Intercom is not connected (intercom_not_connected), or ' +
      'no version is active (nothing_to_rotate).',
  })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  start(@Param('tenantId') tenantId: string, @Req() req: FastifyRequest): Promise<RotationDto> {
    return this.rotations.start(tenantId, 'manual', auditContext(req));
  }

  @Get()
  @ApiOperation({ summary: "The tenant's recent rotations, newest first, each with its timeline." })
  @ApiOkResponse({ type: RotationListDto })
  @ApiBadRequestResponse({ description: 'limit is not a whole number from 1 to 50.' })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  async list(@Param('tenantId') tenantId: string, @Query() query: ListRotationsQuery): Promise<RotationListDto> {
    return { items: await this.rotations.list(tenantId, query.limit) };
  }

  @Get(':rotationId')
  @ApiOperation({ summary: 'One rotation: its state, timeline, versions and, when it failed, why.' })
  @ApiOkResponse({ type: RotationDto })
  @ApiNotFoundResponse({ description: 'No such rotation in this tenant.' })
  get(@Param('tenantId') tenantId: string, @Param('rotationId') rotationId: string): Promise<RotationDto> {
    return this.rotations.get(tenantId, rotationId);
  }

  @Post(':rotationId/finish')
  @HttpCode(200)
  @ApiOperation({
    summary: 'End the overlap now: delete the old secret without waiting for the token lifetime.',
    description:
      'Tokens signed with the old secret stop working in Intercom once it is deleted. Idempotent; on a run still ' +
      'creating, the overlap ends as soon as the new secret is stored.',
  })
  @ApiOkResponse({ type: RotationDto })
  @ApiConflictResponse({ description: 'The run already failed (rotation_not_overlapping).' })
  @ApiNotFoundResponse({ description: 'No such rotation in this tenant.' })
  finish(
    @Param('tenantId') tenantId: string,
    @Param('rotationId') rotationId: string,
    @Req() req: FastifyRequest,
  ): Promise<RotationDto> {
    return this.rotations.finish(tenantId, rotationId, auditContext(req));
  }
}
