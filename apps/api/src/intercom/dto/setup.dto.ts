import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CUSTOM_ATTRIBUTE_LIMITS,
  CUSTOM_ATTRIBUTE_TYPES,
  SESSION_DURATION_LIMITS,
  SETTINGS_LIMITS,
} from '@messenger-vault/contracts';

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

const ATTR = CUSTOM_ATTRIBUTE_LIMITS;
const SESSION = SESSION_DURATION_LIMITS;

/** One entry of the signed custom attribute allow-list (decision 0043). */
export class CustomAttributeRuleDto {
  @ApiProperty({ example: 'plan', maxLength: ATTR.nameMaxLength, pattern: '^[A-Za-z][A-Za-z0-9_]*$' })
  @IsString({ message: 'customAttributes[].name must be a string.' })
  @MaxLength(ATTR.nameMaxLength, {
    message: `customAttributes[].name must be at most ${ATTR.nameMaxLength} characters.`,
  })
  name: string;

  @ApiProperty({ enum: CUSTOM_ATTRIBUTE_TYPES })
  @IsIn(CUSTOM_ATTRIBUTE_TYPES, { message: 'customAttributes[].type must be "string", "number" or "boolean".' })
  type: 'string' | 'number' | 'boolean';

  @ApiPropertyOptional({
    minimum: 1,
    maximum: ATTR.stringMaxLength,
    description: `Strings only: the longest value accepted (default ${ATTR.stringMaxLength}).`,
  })
  @IsOptional()
  @IsInt({ message: 'customAttributes[].maxLength must be a whole number of characters.' })
  @Min(1, { message: 'customAttributes[].maxLength must be at least 1.' })
  @Max(ATTR.stringMaxLength, { message: `customAttributes[].maxLength must be at most ${ATTR.stringMaxLength}.` })
  maxLength?: number;
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
    type: [CustomAttributeRuleDto],
    maxItems: ATTR.maxAttributes,
    description:
      'The allow-list of custom attributes token requests may sign (replaces the whole list; [] allows none). JWT mode only.',
  })
  @IsOptional()
  @IsArray({ message: 'customAttributes must be a list of {name, type, maxLength?}.' })
  @ArrayMaxSize(ATTR.maxAttributes, { message: `customAttributes may name at most ${ATTR.maxAttributes} attributes.` })
  @ValidateNested({ each: true })
  @Type(() => CustomAttributeRuleDto)
  customAttributes?: CustomAttributeRuleDto[];

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: SESSION.min,
    maximum: SESSION.max,
    description:
      "The Messenger's session_duration, in seconds; token responses carry it in milliseconds for the boot settings. null leaves Intercom's default.",
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt({ message: "sessionDurationSeconds must be a whole number of seconds, or null for Intercom's default." })
  @Min(SESSION.min, {
    message: `sessionDurationSeconds must be at least ${SESSION.min} (5 minutes, Intercom's minimum).`,
  })
  @Max(SESSION.max, { message: `sessionDurationSeconds must be at most ${SESSION.max} (7 days).` })
  sessionDurationSeconds?: number | null;

  @ApiPropertyOptional({
    enum: ['web', 'ios', 'android'],
    isArray: true,
    description: 'The platforms the tenant ships; step 3 is done when each of them has Messenger Security on.',
  })
  @IsOptional()
  @IsArray({ message: 'declaredPlatforms must be a list such as ["web", "ios"].' })
  @ArrayMinSize(1, { message: 'declaredPlatforms must name at least one platform you ship: web, ios or android.' })
  @ArrayUnique({ message: 'declaredPlatforms must name each platform once.' })
  @IsIn(['web', 'ios', 'android'], {
    each: true,
    message: 'declaredPlatforms may only hold "web", "ios" and "android".',
  })
  declaredPlatforms?: Array<'web' | 'ios' | 'android'>;

  @ApiPropertyOptional({
    description:
      'Accept user ids that are email addresses (off by default; discouraged: emails change and show in the Messenger). Turning it on is audited.',
  })
  @IsOptional()
  @IsBoolean({ message: 'allowEmailUserIds must be true or false.' })
  allowEmailUserIds?: boolean;

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
  @ApiProperty({ type: [CustomAttributeRuleDto] }) customAttributes: CustomAttributeRuleDto[];
  @ApiProperty({ type: Number, nullable: true }) sessionDurationSeconds: number | null;
  @ApiProperty({
    enum: ['web', 'ios', 'android'],
    isArray: true,
    nullable: true,
    description: 'null until the tenant declares them.',
  })
  declaredPlatforms: Array<'web' | 'ios' | 'android'> | null;
  @ApiProperty() allowEmailUserIds: boolean;
}
