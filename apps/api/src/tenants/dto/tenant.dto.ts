import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, MinLength } from 'class-validator';
import type { Invitation, MfaPolicyRequest, Tenant, TenantMember } from '@messenger-vault/contracts';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class TenantDto implements Tenant {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) archivedAt: string | null;
  @ApiProperty({ description: 'Admins must use two-factor sign-in to reach the tenant.' }) requireMfa: boolean;
}

export class TenantPageDto {
  @ApiProperty({ type: [TenantDto] }) items: TenantDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?cursor= for the next page; null on the last page.',
  })
  nextCursor: string | null;
}

export class CreateTenantDto {
  @ApiProperty({ example: 'Acme Sales', minLength: 1, maxLength: 100 })
  @Transform(trim)
  @IsString({ message: 'name must be a string.' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters.' })
  name: string;
}

export class UpdateTenantDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'name must be a string.' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters.' })
  name?: string;

  @ApiPropertyOptional({ description: 'true archives the tenant (its admins lose access); false restores it.' })
  @IsOptional()
  @IsBoolean({ message: 'archived must be true or false.' })
  archived?: boolean;
}

export class ListTenantsQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number.' })
  @Min(1, { message: 'limit must be at least 1.' })
  @Max(200, { message: 'limit must be at most 200.' })
  limit?: number;

  @ApiPropertyOptional({ description: 'Include archived tenants (staff).' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  includeArchived?: boolean;
}

export class InviteMemberDto {
  @ApiProperty({ example: 'owner@acme.example' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address, like owner@acme.example.' })
  email: string;

  @ApiProperty({ enum: ['admin'] })
  @IsIn(['admin'], { message: 'role must be "admin" (the only tenant role).' })
  role: 'admin';
}

export class InvitationDto implements Invitation {
  @ApiProperty({ description: 'Single use. Shown only in this answer.' }) inviteToken: string;
  @ApiProperty() inviteUrl: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class AcceptInvitationDto {
  @ApiProperty()
  @IsString({ message: 'token must be a string.' })
  @Length(10, 200, { message: 'token must be the value from your invitation link.' })
  token: string;

  @ApiPropertyOptional({
    minLength: 12,
    format: 'password',
    description:
      "The new account's password, when the invited email has no account yet. An existing account accepts while signed in, without a password: none is ever checked here.",
  })
  @IsOptional()
  @IsString({ message: 'password must be a string.' })
  @MinLength(12, { message: 'password must be at least 12 characters.' })
  @Length(12, 1024, { message: 'password must be at most 1024 characters.' })
  password?: string;
}

export class TenantMemberDto implements TenantMember {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['admin'] }) role: 'admin';
  @ApiProperty({ description: 'The account uses two-factor sign-in.' }) mfaEnabled: boolean;
  @ApiProperty({ format: 'date-time' }) joinedAt: string;
}

export class TenantMemberListDto {
  @ApiProperty({ type: [TenantMemberDto] }) items: TenantMemberDto[];
}

export class MfaPolicyDto implements MfaPolicyRequest {
  @ApiProperty({ description: "true: the tenant's admins must use two-factor sign-in to reach it." })
  @IsBoolean({ message: 'requireMfa must be true or false.' })
  requireMfa: boolean;
}
