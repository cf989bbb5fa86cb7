import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SETTINGS_LIMITS } from '@messenger-vault/contracts';

const { tokenTtlSeconds: TTL, rotationPeriodDays: PERIOD, reminderLeadDays: LEAD } = SETTINGS_LIMITS;

export class SetAppIdDto {
  @ApiProperty({
    example: 'https://app.intercom.com/a/inbox/xyz123/inbox/admin',
    description: 'The APP_ID itself, or any Intercom URL that holds it (regional hosts included).',
  })
  @IsString({ message: 'appId must be a string: paste the APP_ID or a URL from your Intercom inbox.' })
  @MaxLength(2048, {
    message: 'appId must be at most 2048 characters: paste the APP_ID or a URL from your Intercom inbox.',
  })
  appId: string;
}

export class AppIdDto {
  @ApiProperty({ example: 'xyz123' }) appId: string;
  @ApiProperty({ enum: ['us', 'eu', 'au'] }) region: 'us' | 'eu' | 'au';
  @ApiProperty({ example: 'https://api-iam.intercom.io', description: 'The Messenger api_base for this region.' })
  apiBase: string;
}

export class PlatformParams {
  @ApiProperty({ format: 'uuid' }) @IsString() tenantId: string;

  @ApiProperty({ enum: ['web', 'ios', 'android'] })
  @IsIn(['web', 'ios', 'android'], { message: 'platform must be web, ios or android.' })
  platform: 'web' | 'ios' | 'android';
}

export class SetPlatformSecurityDto {
  @ApiProperty({ description: 'true once JWT verification is switched on for this platform in Intercom.' })
  @IsBoolean({ message: 'securityEnabled must be true or false.' })
  securityEnabled: boolean;
}

export class PlatformSecurityDto {
  @ApiProperty({ enum: ['web', 'ios', 'android'] }) platform: 'web' | 'ios' | 'android';
  @ApiProperty() securityEnabled: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) enabledAt: string | null;
}

export class UpdateSettingsDto {
  @ApiPropertyOptional({
    minimum: TTL.min,
    maximum: TTL.max,
    description: 'Token lifetime; match your app session length.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'tokenTtlSeconds must be a whole number of seconds.' })
  @Min(TTL.min, { message: `tokenTtlSeconds must be at least ${TTL.min} (one minute).` })
  @Max(TTL.max, { message: `tokenTtlSeconds must be at most ${TTL.max} (one day); shorter is safer.` })
  tokenTtlSeconds?: number;

  @ApiPropertyOptional({ minimum: PERIOD.min, maximum: PERIOD.max })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'rotationPeriodDays must be a whole number of days.' })
  @Min(PERIOD.min, { message: `rotationPeriodDays must be at least ${PERIOD.min}.` })
  @Max(PERIOD.max, {
    message: `rotationPeriodDays must be at most ${PERIOD.max}: rotate the secret at least once a year.`,
  })
  rotationPeriodDays?: number;

  @ApiPropertyOptional({
    minimum: LEAD.min,
    maximum: LEAD.max,
    description: 'Days before the rotation date to start reminding.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'reminderLeadDays must be a whole number of days.' })
  @Min(LEAD.min, { message: `reminderLeadDays must be at least ${LEAD.min}.` })
  @Max(LEAD.max, { message: `reminderLeadDays must be at most ${LEAD.max}.` })
  reminderLeadDays?: number;

  @ApiPropertyOptional({ enum: ['jwt', 'hmac'], description: 'jwt is recommended; hmac is the legacy user_hash.' })
  @IsOptional()
  @IsIn(['jwt', 'hmac'], { message: 'identityMode must be "jwt" (recommended) or "hmac" (legacy).' })
  identityMode?: 'jwt' | 'hmac';

  @ApiPropertyOptional({
    description:
      'When a secret version falls due, the reminder job rotates it through the Intercom connection instead of asking a person (default false).',
  })
  @IsOptional()
  @IsBoolean({ message: 'autoRotate must be true or false.' })
  autoRotate?: boolean;
}

export class SettingsDto {
  @ApiProperty() tokenTtlSeconds: number;
  @ApiProperty() rotationPeriodDays: number;
  @ApiProperty() reminderLeadDays: number;
  @ApiProperty({ enum: ['jwt', 'hmac'] }) identityMode: 'jwt' | 'hmac';
  @ApiProperty({ description: 'Due versions are rotated automatically through the Intercom connection.' })
  autoRotate: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) savedAt: string | null;
}
