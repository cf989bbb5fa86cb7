import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PlatformStatusDto {
  @ApiProperty({ description: 'The tenant confirmed JWT verification is on for this platform in Intercom.' })
  securityEnabled: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) enabledAt: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When a token was last issued for this platform.',
  })
  lastTokenAt: string | null;
  @ApiProperty({ description: 'Tokens issued for this platform in the last 24 hours.' }) tokensLast24h: number;
}

export class PlatformsDto {
  @ApiProperty({ type: PlatformStatusDto }) web: PlatformStatusDto;
  @ApiProperty({ type: PlatformStatusDto }) ios: PlatformStatusDto;
  @ApiProperty({ type: PlatformStatusDto }) android: PlatformStatusDto;
}

export class SetupStepDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({
    example: 'app_id',
    enum: ['app_id', 'secret_key', 'messenger_security', 'best_practices', 'identity_verification'],
  })
  key: string;
  @ApiProperty() title: string;
  @ApiProperty() done: boolean;
}

export class SetupProblemDto {
  @ApiProperty({
    enum: [
      'no_app_id',
      'no_secret',
      'rotation_due_soon',
      'rotation_overdue',
      'platform_off',
      'platform_no_traffic',
      'legacy_hmac',
      'intercom_connection_broken',
      'ttl_under_update_throttle',
    ],
  })
  code: string;
  @ApiProperty({ enum: ['error', 'warning', 'info'] }) severity: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ enum: ['web', 'ios', 'android'] }) platform?: string;
}
