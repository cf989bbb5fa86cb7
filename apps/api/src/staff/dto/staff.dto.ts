import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { PlatformsDto, SetupProblemDto } from '../../intercom/dto/setup-status.dto';
import { toCanonicalId } from '../../common/ids';

export const OVERVIEW_PROBLEMS = [
  'intercom_connection_broken',
  'rotation_overdue',
  'rotation_due_soon',
  'platform_off',
  'platform_no_traffic',
  'legacy_hmac',
  'no_secret',
  'no_app_id',
  'ttl_under_update_throttle',
] as const;
export const OVERVIEW_SORTS = ['name', 'rotationDueAt', 'lastTokenAt', 'tokensLast24h', 'problems'] as const;

/** The filters and order of the overview, shared by its pages and its CSV export. */
export class IntegrationsFilterQuery {
  @ApiPropertyOptional({
    description: 'Only tenants with this open problem; several may be given comma-separated.',
    example: 'rotation_overdue,platform_off',
  })
  @IsOptional()
  @Matches(new RegExp(`^(${OVERVIEW_PROBLEMS.join('|')})(,(${OVERVIEW_PROBLEMS.join('|')}))*$`), {
    message: `problem must be one or more of ${OVERVIEW_PROBLEMS.join(', ')}, comma-separated.`,
  })
  problem?: string;

  @ApiPropertyOptional({
    description: 'Search tenant name or APP_ID (case-insensitive substring; a name prefix works).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'q must be at most 100 characters.' })
  q?: string;

  @ApiPropertyOptional({ enum: OVERVIEW_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(OVERVIEW_SORTS, { message: `sort must be one of ${OVERVIEW_SORTS.join(', ')}.` })
  sort?: (typeof OVERVIEW_SORTS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'order must be asc or desc.' })
  order?: 'asc' | 'desc';
}

export class IntegrationsQuery extends IntegrationsFilterQuery {
  @ApiPropertyOptional({
    description:
      "The previous page's nextCursor, unchanged, with the same filters and order (keyset paging; anything else is a 400).",
  })
  @IsOptional()
  @IsString()
  @MaxLength(1200, { message: 'cursor is not one this API issued.' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number.' })
  @Min(1, { message: 'limit must be at least 1.' })
  @Max(500, { message: 'limit must be at most 500.' })
  limit?: number;
}

export class IntegrationRowDto {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() tenantName: string;
  @ApiProperty({ nullable: true, type: String }) appId: string | null;
  @ApiProperty({ enum: ['jwt', 'hmac'] }) identityMode: 'jwt' | 'hmac';
  @ApiProperty({ description: 'The tenant lets due versions rotate automatically (autoRotate).' }) autoRotate: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'The newest signing version.' }) secretVersion:
    number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Age in days of the oldest key still signing.' })
  secretAgeDays: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) rotationDueAt: string | null;
  @ApiProperty({ enum: ['none', 'ok', 'due_soon', 'overdue'] }) rotationStatus: 'none' | 'ok' | 'due_soon' | 'overdue';
  @ApiProperty({ type: PlatformsDto }) platforms: PlatformsDto;
  @ApiProperty() tokensLast24h: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastTokenAt: string | null;
  @ApiProperty({ description: 'Setup steps done, out of 5.' }) stepsDone: number;
  @ApiProperty({ type: [SetupProblemDto] }) problems: SetupProblemDto[];
}

export class IntegrationPageDto {
  @ApiProperty({ type: [IntegrationRowDto] }) items: IntegrationRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
  @ApiProperty({ description: 'Rows matching the filters, over all pages.' }) total: number;
}

export class TokenUsageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 14 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number.' })
  @Min(1, { message: 'days must be at least 1.' })
  @Max(90, { message: 'days must be at most 90.' })
  days?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'One tenant only.' })
  @IsOptional()
  @Transform(toCanonicalId)
  @IsUUID('all', { message: 'tenantId must be a tenant id (a UUID).' })
  tenantId?: string;
}

export class TokenUsageSeriesDto {
  @ApiProperty({ type: [Number] }) web: number[];
  @ApiProperty({ type: [Number] }) ios: number[];
  @ApiProperty({ type: [Number] }) android: number[];
}

export class TokenUsageDto {
  @ApiProperty({ type: [String], description: 'UTC days, oldest first (YYYY-MM-DD).' }) days: string[];
  @ApiProperty({ type: TokenUsageSeriesDto }) series: TokenUsageSeriesDto;
}
