import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CurrentUser, Membership } from '@messenger-vault/contracts';

export class MembershipDto implements Membership {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() tenantName: string;
  @ApiProperty({ enum: ['admin'] }) role: 'admin';
}

export class CurrentUserDto implements CurrentUser {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ description: 'SalesMind staff see and manage every tenant.' }) isStaff: boolean;
  @ApiProperty({ type: [MembershipDto] }) memberships: MembershipDto[];
  @ApiPropertyOptional({
    description: 'Two-factor sign-in is on: TOTP or at least one passkey (GET /api/auth/me only).',
  })
  mfaEnabled?: boolean;
  @ApiPropertyOptional({
    enum: ['totp', 'passkey'],
    isArray: true,
    description: 'Which second factors the account has (GET /api/auth/me only).',
  })
  mfaMethods?: Array<'totp' | 'passkey'>;
  @ApiPropertyOptional({
    description: 'Staff under REQUIRE_STAFF_MFA who must enrol before anything else (GET /api/auth/me only).',
  })
  mfaEnrolmentRequired?: boolean;
}

export class OkDto {
  @ApiProperty({ example: true }) ok: boolean;
}

export class LogoutAllDto {
  @ApiProperty({ example: true }) ok: boolean;
  @ApiProperty({ description: 'How many sessions ended, this one included.', example: 3 }) sessionsEnded: number;
}
