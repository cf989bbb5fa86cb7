import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class SsoConfigDto {
  @ApiProperty({
    description:
      'Staff single sign-on is set up on this server: the login page offers "Sign in with SSO" (GET /api/auth/oidc/start).',
  })
  enabled: boolean;
}

export class BackchannelLogoutDto {
  @ApiProperty({
    description:
      'OpenID Connect Back-Channel Logout 1.0: the logout token (a JWT signed by the identity provider). Sent as application/x-www-form-urlencoded.',
  })
  @IsString({ message: 'logout_token must be a string.' })
  @MaxLength(12_000, { message: 'logout_token must be at most 12000 characters.' })
  logout_token: string;
}
