import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

const HOW = 'Copy it from your Intercom app in the Developer Hub: Configure > Authentication > Access token.';

export class ConnectIntercomDto {
  @ApiProperty({
    description: `An Intercom access token for the workspace (scope: read admins). ${HOW} Sealed by the vault, never shown again.`,
    writeOnly: true,
  })
  @IsString({ message: `accessToken must be a string. ${HOW}` })
  @MinLength(8, { message: `accessToken is too short to be an Intercom access token. ${HOW}` })
  @MaxLength(1024, { message: `accessToken must be at most 1024 characters. ${HOW}` })
  @Matches(/^[\x21-\x7e]+$/, {
    message: `accessToken must be printable ASCII without spaces: paste the token alone. ${HOW}`,
  })
  accessToken: string;
}

export class IntercomConnectionDto {
  @ApiProperty({ description: 'Whether an access token is stored for this tenant.' })
  connected: boolean;

  @ApiPropertyOptional({ example: 'xyz123', description: "The workspace's APP_ID (Intercom's app.id_code)." })
  appId?: string;

  @ApiPropertyOptional({ enum: ['us', 'eu', 'au'], description: "The workspace's data region." })
  region?: 'us' | 'eu' | 'au';

  @ApiPropertyOptional({ example: 'Acme Support', description: "The workspace's name, as Intercom reports it." })
  workspaceName?: string;

  @ApiPropertyOptional({ description: 'Whether Intercom says the workspace uses identity verification.' })
  identityVerification?: boolean;

  @ApiPropertyOptional({ format: 'date-time' })
  connectedAt?: string;
}
