import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PLATFORMS, type Platform } from '@messenger-vault/intercom';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ROTATION_STATES, type RotationState } from '../rotation-model';

export class ListRotationsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10, description: 'How many of the newest runs.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number.' })
  @Min(1, { message: 'limit must be at least 1.' })
  @Max(50, { message: 'limit must be at most 50.' })
  limit?: number;
}

export class RotationItemDto {
  @ApiProperty({ description: 'The version this run replaces.', example: 3 }) oldVersion: number;
  @ApiProperty({
    enum: PLATFORMS,
    isArray: true,
    description: 'What the old version signed for; the new one serves the same.',
  })
  platforms: Platform[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The version the run stored; null until Intercom created it.',
  })
  newVersion: number | null;
  @ApiProperty({ nullable: true, type: String, description: "The new secret's id in Intercom." })
  newIntercomSecretId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The old secret's id in Intercom (its link); null when none was linked.",
  })
  oldIntercomSecretId: string | null;
  @ApiProperty({ description: 'The old secret is gone from Intercom (deleted by the run, or already gone).' })
  oldDeleted: boolean;
  @ApiProperty({ description: 'No Intercom secret was linked to the old version: delete it in Intercom by hand.' })
  removeByHand: boolean;
}

export class RotationStepDto {
  @ApiProperty({ enum: ROTATION_STATES }) state: RotationState;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class RotationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ROTATION_STATES }) state: RotationState;
  @ApiProperty({ enum: ['manual', 'auto'], description: 'manual: "Rotate now"; auto: the reminder job (autoRotate).' })
  trigger: 'manual' | 'auto';
  @ApiProperty({ type: [RotationItemDto] }) items: RotationItemDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Why the run failed, and what to do.' })
  reason: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the last attempt of the current step did not go through; the run tries again at nextAttemptAt.',
  })
  lastError: string | null;
  @ApiProperty({ description: 'Failed attempts of the current step in a row.' }) attempts: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiProperty({ description: "The overlap: the tenant's token lifetime plus 5 minutes." }) overlapSeconds: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the old secret is deleted.' })
  overlapEndsAt: string | null;
  @ApiProperty({ description: 'Someone ended the overlap early ("finish now").' }) finishedEarly: boolean;
  @ApiProperty({ type: [RotationStepDto], description: 'Each state the run reached, oldest first.' })
  timeline: RotationStepDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
}

export class RotationListDto {
  @ApiProperty({ type: [RotationDto], description: 'Newest first.' }) items: RotationDto[];
}
