import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { auditContext } from '../audit/audit-context';
import { CurrentUser, SessionUser, StaffOnly } from '../auth/current-user';
import {
  CreateTenantDto,
  InvitationDto,
  InviteMemberDto,
  ListTenantsQuery,
  MfaPolicyDto,
  TenantDto,
  TenantMemberListDto,
  TenantPageDto,
  UpdateTenantDto,
} from './dto/tenant.dto';
import { InvitationsService } from './invitations.service';
import { TenantsService } from './tenants.service';
import { RequiresRecentMfa } from '../auth/step-up.guard';

@ApiTags('tenants')
@ApiCookieAuth()
@Controller('api/tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Tenants, newest first. Staff see all; a tenant admin sees only their own.' })
  @ApiOkResponse({ type: TenantPageDto })
  list(@CurrentUser() user: SessionUser, @Query() query: ListTenantsQuery): Promise<TenantPageDto> {
    return this.tenants.list(user, query);
  }

  @Post()
  @StaffOnly()
  @ApiOperation({ summary: 'Create a tenant (staff).' })
  @ApiCreatedResponse({ type: TenantDto })
  create(
    @Body() body: CreateTenantDto,
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<TenantDto> {
    return this.tenants.create(body.name, user, auditContext(req));
  }

  @Get(':tenantId')
  @ApiOperation({ summary: 'One tenant.' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  get(@Param('tenantId') tenantId: string): Promise<TenantDto> {
    return this.tenants.get(tenantId);
  }

  @RequiresRecentMfa()
  @Patch(':tenantId')
  @StaffOnly()
  @ApiOperation({ summary: 'Rename, archive (archived: true) or restore (archived: false) a tenant (staff).' })
  @ApiOkResponse({ type: TenantDto })
  update(
    @Param('tenantId') tenantId: string,
    @Body() body: UpdateTenantDto,
    @Req() req: FastifyRequest,
  ): Promise<TenantDto> {
    return this.tenants.update(tenantId, body, auditContext(req));
  }

  @Get(':tenantId/members')
  @ApiOperation({ summary: "The tenant's admins, with whether each uses two-factor sign-in." })
  @ApiOkResponse({ type: TenantMemberListDto })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  async members(@Param('tenantId') tenantId: string): Promise<TenantMemberListDto> {
    return { items: await this.tenants.members(tenantId) };
  }

  @Put(':tenantId/mfa-policy')
  @ApiOperation({
    summary:
      "Require (or stop requiring) two-factor sign-in of the tenant's admins. Members without it are turned away (403 tenant_requires_mfa) until they turn it on. Audited.",
  })
  @ApiOkResponse({ type: TenantDto })
  @ApiConflictResponse({ description: 'You must use two-factor sign-in yourself before requiring it.' })
  @ApiNotFoundResponse({ description: 'No such tenant, or not yours.' })
  setMfaPolicy(
    @Param('tenantId') tenantId: string,
    @Body() body: MfaPolicyDto,
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<TenantDto> {
    return this.tenants.setMfaPolicy(tenantId, body.requireMfa, user, auditContext(req));
  }

  @Post(':tenantId/members')
  @ApiOperation({ summary: 'Invite an admin to the tenant; answers a single-use invitation link.' })
  @ApiCreatedResponse({ type: InvitationDto })
  invite(
    @Param('tenantId') tenantId: string,
    @Body() body: InviteMemberDto,
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<InvitationDto> {
    return this.invitations.invite(tenantId, body.email, body.role, user, req);
  }

  @Delete(':tenantId/members/:userId')
  @HttpCode(204)
  @ApiOperation({
    summary: "Remove a user's membership of the tenant. Every session of that user ends with it (they sign in again).",
  })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiNotFoundResponse({ description: 'No such tenant, or the user is not a member of it.' })
  async removeMember(
    @Param('tenantId') tenantId: string,
    @Param('userId') userId: string,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.tenants.removeMember(tenantId, userId, auditContext(req));
  }
}
