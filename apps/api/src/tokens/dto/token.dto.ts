import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOKEN_REQUEST_LIMITS } from '@messenger-vault/contracts';

export class TokenRequestDto {
  @ApiProperty({
    description: "Your app's stable id for the signed-in user; never an email.",
    example: '42',
    maxLength: TOKEN_REQUEST_LIMITS.userIdMaxLength,
  })
  user_id: string;
  @ApiPropertyOptional({ example: 'ada@example.com', maxLength: TOKEN_REQUEST_LIMITS.emailMaxLength }) email?: string;
  @ApiPropertyOptional({ example: 'Ada Lovelace', maxLength: TOKEN_REQUEST_LIMITS.nameMaxLength }) name?: string;
  @ApiProperty({ enum: ['web', 'ios', 'android'] }) platform: 'web' | 'ios' | 'android';
}

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
}
