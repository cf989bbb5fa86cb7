import { ApiProperty } from '@nestjs/swagger';
import type { MfaRequired } from '@messenger-vault/contracts';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class MfaCodeDto {
  @ApiProperty({
    description: 'The current 6-digit code from the authenticator app, or an unused recovery code (like k7m2p-9xq4r).',
    example: '123456',
  })
  @IsString({ message: 'code must be a string.' })
  @MinLength(6, { message: 'code must be the 6-digit code from your authenticator app, or a recovery code.' })
  @MaxLength(32, { message: 'code must be at most 32 characters.' })
  code: string;
}

export class MfaRequiredDto implements MfaRequired {
  @ApiProperty({
    enum: [true],
    description:
      'The password was right; send a code to POST /api/auth/mfa/verify (the pending sign-in cookie is set).',
  })
  mfaRequired: true;

  @ApiProperty({
    enum: ['totp', 'passkey'],
    isArray: true,
    description:
      'What can complete the sign-in: "totp" (a code or recovery code, POST /api/auth/mfa/verify) and/or "passkey" (POST /api/auth/mfa/verify/passkey/options, then /api/auth/mfa/verify/passkey).',
  })
  methods: Array<'totp' | 'passkey'>;
}

export class TotpSetupDto {
  @ApiProperty({ description: 'Base32 TOTP secret, shown this once; TOTP is not on until enabled with a code.' })
  secret: string;
  @ApiProperty({ example: 'otpauth://totp/Messenger%20Vault:me%40example.com?issuer=Messenger%20Vault&secret=…' })
  otpauthUrl: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'Ten single-use recovery codes, shown this once.' })
  recoveryCodes: string[];
}
