import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ListNotificationsQuery, NotificationDto, NotificationPageDto } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiCookieAuth()
@Controller('api/tenants/:tenantId/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's rotation reminders, newest first, with the number still unread." })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiBadRequestResponse({ description: 'limit, unread or cursor is malformed.' })
  list(@Param('tenantId') tenantId: string, @Query() query: ListNotificationsQuery): Promise<NotificationPageDto> {
    return this.notifications.list(tenantId, query);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a notification read; reading it again keeps the first readAt.' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiNotFoundResponse({ description: 'No such notification in this tenant.' })
  read(@Param('tenantId') tenantId: string, @Param('id') id: string): Promise<NotificationDto> {
    return this.notifications.markRead(tenantId, id);
  }
}
