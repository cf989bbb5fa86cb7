import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ExchangeRequestDto {
  @ApiProperty({ format: 'uuid' }) tenant_id: string;
  @ApiProperty({ enum: ['web', 'ios', 'android'] }) platform: 'web' | 'ios' | 'android';
}

export class TokenResponseDto {
  @ApiPropertyOptional({
    description: 'JWT mode: the Messenger JWT (HS256) to pass as intercom_user_jwt / setUserJwt.',
  })
  token?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'JWT mode: when the token expires (ISO 8601, UTC).' })
  expires_at?: string;
  @ApiPropertyOptional({ description: 'HMAC mode: the legacy user_hash (lowercase hex).' })
  user_hash?: string;
  @ApiProperty({ description: "The tenant's Intercom APP_ID." }) app_id: string;
  @ApiPropertyOptional({
    type: 'integer',
    example: 1_800_000,
    description:
      "Only when the tenant set a Messenger session duration: milliseconds, for the Messenger's `session_duration` boot setting (decision 0043).",
  })
  session_duration?: number;
}
