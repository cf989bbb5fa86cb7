import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { NOTIFICATION_KINDS, type NotificationKind } from '../reminder-message';

export class ListNotificationsQuery {
  @ApiPropertyOptional({ description: 'nextCursor from the previous page.' })
  @IsOptional()
  @IsString({ message: 'cursor must be the nextCursor of the previous page.' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number.' })
  @Min(1, { message: 'limit must be at least 1.' })
  @Max(100, { message: 'limit must be at most 100.' })
  limit?: number;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only notifications not read yet.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false.' })
  unread?: boolean;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: NOTIFICATION_KINDS,
    description: 'A rotation reminder (due_soon, due, overdue) or an automated rotation event.',
  })
  stage: NotificationKind;
  @ApiProperty({
    description:
      'For overdue: whole weeks since the due date (it repeats weekly); for a rotation event: the run number. 0 otherwise.',
  })
  occurrence: number;
  @ApiProperty({ description: 'The secret version the reminder is about.', example: 3 }) secretVersion: number;
  @ApiProperty({ format: 'date-time', description: 'The rotation date when the reminder was recorded.' })
  rotationDueAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: string | null;
  @ApiProperty({ example: 'Messenger secret version 3 is due for rotation today' }) title: string;
  @ApiProperty({ description: 'What happened and what to do next.' }) message: string;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto], description: 'Newest first.' }) items: NotificationDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass back as ?cursor= for the next page; null on the last.',
  })
  nextCursor: string | null;
  @ApiProperty({ description: "Unread notifications of the tenant, whatever the page's filters." }) unreadCount: number;
}
