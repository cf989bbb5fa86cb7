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

export class IntercomConnectionBrokenDto {
  @ApiProperty({ format: 'date-time', description: 'When Intercom first refused the stored token.' })
  at: string;

  @ApiProperty({ description: "Why, in Intercom's words (never the token)." })
  reason: string;
}

export class IntercomSecretDto {
  @ApiProperty({ example: '7000001', description: "Intercom's id of the secret." })
  id: string;

  @ApiProperty({ example: 'Messenger web 2026' })
  name: string;

  @ApiProperty({
    enum: ['web', 'ios', 'android'],
    isArray: true,
    description: 'The platforms Intercom says it supports.',
  })
  platforms: Array<'web' | 'ios' | 'android'>;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  createdAt: string | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The stored secret version linked to it, or null. A rotation deletes in Intercom only linked secrets.',
  })
  linkedVersion: number | null;
}

export class IntercomSecretsErrorDto {
  @ApiProperty({ example: 'intercom_unavailable' })
  code: string;

  @ApiProperty({ description: 'What went wrong asking Intercom, and what to do.' })
  message: string;
}

export class IntercomConnectionDto {
  @ApiProperty({ description: 'Whether an access token is stored for this tenant.' })
  connected: boolean;

  @ApiProperty({
    description:
      '"Connect with Intercom" (OAuth) is available: the operator set INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET.',
  })
  oauthAvailable: boolean;

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

  @ApiPropertyOptional({ enum: ['token', 'oauth'], description: 'A pasted access token, or "Connect with Intercom".' })
  connectedVia?: 'token' | 'oauth';

  @ApiPropertyOptional({
    type: IntercomConnectionBrokenDto,
    nullable: true,
    description:
      'Set when Intercom answered 401 to the stored token on a later call (revoked, app uninstalled): connect again to clear it.',
  })
  broken?: IntercomConnectionBrokenDto | null;

  @ApiPropertyOptional({
    type: IntercomSecretDto,
    isArray: true,
    description:
      "The workspace's identity verification secrets, as Intercom's GET /secure_mode_secrets lists them now (empty when Intercom could not be asked: see intercomSecretsError).",
  })
  intercomSecrets?: IntercomSecretDto[];

  @ApiPropertyOptional({
    type: IntercomSecretsErrorDto,
    nullable: true,
    description: 'Why intercomSecrets could not be read from Intercom; null when they were.',
  })
  intercomSecretsError?: IntercomSecretsErrorDto | null;
}

export class LinkIntercomSecretDto {
  @ApiProperty({ example: '7000001', description: "The Intercom secret's id, from intercomSecrets." })
  @IsString({ message: 'intercomSecretId must be a string: an id from the list of Intercom secrets.' })
  @MinLength(1, { message: 'intercomSecretId must not be empty: pick an id from the list of Intercom secrets.' })
  @MaxLength(128, { message: 'intercomSecretId must be at most 128 characters.' })
  @Matches(/^[\x21-\x7e]+$/, { message: 'intercomSecretId must be printable ASCII without spaces.' })
  intercomSecretId: string;
}

export class IntercomSecretLinkDto {
  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ nullable: true, type: String, description: 'The linked Intercom secret; null after unlinking.' })
  intercomSecretId: string | null;
}

export class StartIntercomOAuthDto {
  @ApiProperty({
    example: 'https://app.intercom.com/oauth?client_id=...&state=...&redirect_uri=...',
    description: "Intercom's authorize page with a single-use state bound to this session; send the browser there.",
  })
  authorizeUrl: string;
}

export class CompleteIntercomOAuthDto {
  @ApiProperty({ description: 'The `code` Intercom sent the browser back with.', writeOnly: true })
  @IsString({ message: 'code must be a string: the code Intercom sent back. Start "Connect with Intercom" again.' })
  @MinLength(1, { message: 'code is missing: Intercom sent no code back. Start "Connect with Intercom" again.' })
  @MaxLength(1024, { message: 'code must be at most 1024 characters.' })
  @Matches(/^[\x21-\x7e]+$/, { message: 'code must be printable ASCII without spaces.' })
  code: string;

  @ApiProperty({ description: 'The `state` Intercom sent the browser back with.' })
  @IsString({ message: 'state must be a string: the state Intercom sent back.' })
  @MinLength(1, { message: 'state is missing. Start "Connect with Intercom" again.' })
  @MaxLength(128, { message: 'state must be at most 128 characters.' })
  state: string;
}

export class CompletedIntercomOAuthDto {
  @ApiProperty({ format: 'uuid', description: 'The tenant the flow was started for.' })
  tenantId: string;

  @ApiProperty({ type: IntercomConnectionDto })
  connection: IntercomConnectionDto;
}
