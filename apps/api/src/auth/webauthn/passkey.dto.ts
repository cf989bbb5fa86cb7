import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class PasskeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'MacBook Touch ID' }) name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({
    description: 'The authenticator says the key is synced (backed up), like an iCloud or Google passkey.',
  })
  backedUp: boolean;
}

export class PasskeyListDto {
  @ApiProperty({ type: [PasskeyDto] }) items: PasskeyDto[];
}

const WEBAUTHN_JSON = {
  type: 'object',
  additionalProperties: true,
  description: 'The credential as JSON, as @simplewebauthn/browser answers it.',
} as const;

export class RegisterPasskeyDto {
  @ApiProperty(WEBAUTHN_JSON)
  @IsObject({ message: 'response must be the object startRegistration() answered.' })
  response: RegistrationResponseJSON;

  @ApiPropertyOptional({ example: 'MacBook Touch ID', maxLength: 100 })
  @IsOptional()
  @IsString({ message: 'name must be a string.' })
  @MaxLength(100, { message: 'name must be at most 100 characters.' })
  name?: string;
}

export class RenamePasskeyDto {
  @ApiProperty({ example: 'YubiKey 5C', maxLength: 100 })
  @IsString({ message: 'name must be a string.' })
  @MinLength(1, { message: 'name must not be empty.' })
  @MaxLength(100, { message: 'name must be at most 100 characters.' })
  name: string;
}

export class PasskeyAssertionDto {
  @ApiProperty(WEBAUTHN_JSON)
  @IsObject({ message: 'response must be the object startAuthentication() answered.' })
  response: AuthenticationResponseJSON;
}

export class StepUpDto {
  @ApiProperty({ enum: [true] }) ok: true;
  @ApiProperty({
    format: 'date-time',
    description: 'Sensitive actions are allowed without asking again until then (10 minutes).',
  })
  freshUntil: string;
}

/** PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON: pass them to @simplewebauthn/browser as they are. */
export const WEBAUTHN_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  description: 'WebAuthn options as JSON: pass them to startRegistration() / startAuthentication() unchanged.',
} as const;
