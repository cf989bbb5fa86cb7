import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, type AuditAction, type AuditActorKind } from '../audit-actions';
import { toCanonicalId } from '../../common/ids';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The filters `GET /api/audit` and `GET /api/audit/export.csv` share. */
export class AuditFilterQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this tenant. A tenant admin may name only their own.' })
  @IsOptional()
  @Transform(toCanonicalId)
  @IsUUID('all', { message: 'tenantId must be a tenant id (a UUID).' })
  tenantId?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of: ${AUDIT_ACTIONS.join(', ')}.` })
  action?: AuditAction;

  @ApiPropertyOptional({ description: 'A user id, or an email address (matched whole, any case).' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'actor must be a user id or an email address.' })
  @Length(1, 320, { message: 'actor must be a user id or an email address (at most 320 characters).' })
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events at or after this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or time, like 2024-11-25T00:00:00Z.' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or time, like 2024-11-26T00:00:00Z.' })
  to?: string;
}

export class ListAuditQuery extends AuditFilterQuery {
  @ApiPropertyOptional({ description: 'nextCursor from the previous page.' })
  @IsOptional()
  @IsString({ message: 'cursor must be the nextCursor of the previous page.' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number.' })
  @Min(1, { message: 'limit must be at least 1.' })
  @Max(200, { message: 'limit must be at most 200.' })
  limit?: number;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Position in the hash chain: 1, 2, 3, … with no gaps.' }) seq: number;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ enum: AUDIT_ACTOR_KINDS }) actorKind: AuditActorKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorUserId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'For a failed sign-in, the email as typed.' })
  actorEmail: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) tenantId: string | null;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: AuditAction;
  @ApiProperty({ nullable: true, type: String, example: 'tenant' }) targetType: string | null;
  @ApiProperty({ nullable: true, type: String }) targetId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Safe facts only; never a secret.' })
  metadata: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: 'Hidden from tenant admins when staff acted.' })
  ip: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Hidden from tenant admins when staff acted.' })
  userAgent: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'hash of the event before this one.' })
  prevHash: string | null;
  @ApiProperty({ description: 'SHA-256 (hex) of the canonical encoding of this event.' }) hash: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'Newest first.' }) items: AuditEventDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?cursor= for the next page; null on the last page.',
  })
  nextCursor: string | null;
}

export const VERIFY_FROM = ['start', 'checkpoint'] as const;

export class VerifyAuditQuery {
  @ApiPropertyOptional({
    enum: VERIFY_FROM,
    default: 'start',
    description:
      'start (the default): walk the whole chain. checkpoint: walk only what follows the latest checkpoint a ' +
      'valid run left whose event still has its recorded hash; an event changed before that checkpoint is ' +
      'then caught only by the next walk from the start.',
  })
  @IsOptional()
  @IsIn(VERIFY_FROM, { message: 'from must be "start" (the whole chain) or "checkpoint" (only what follows it).' })
  from?: (typeof VERIFY_FROM)[number];
}

export class AuditVerificationDto {
  @ApiProperty({ description: 'true when every event links to the one before it and matches its hash.' })
  valid: boolean;
  @ApiProperty({ description: 'Events examined, up to and including the first broken one.' }) checked: number;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The first event that fails; null when valid.',
  })
  firstBrokenId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'The seq of the checkpoint this run started after (from=checkpoint); null when it walked from the start.',
  })
  resumedFromSeq: string | null;
}
