import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SECRET_LIMITS, type SavedSecret, type SecretVersion } from '@messenger-vault/contracts';
import { PLATFORMS, type Platform } from '@messenger-vault/intercom';
import { Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  ValidateBy,
} from 'class-validator';
import { SECRET_STATES, type SecretState } from '../secret-states';

const { min: SECRET_MIN_LENGTH, max: SECRET_MAX_LENGTH } = SECRET_LIMITS.length;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

// Messages describe the rule, never the value: the value is the secret.
const NoWhitespaceInside = () =>
  ValidateBy({
    name: 'noWhitespaceInside',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !/\s/.test(value),
      defaultMessage: () =>
        'secret must not contain spaces, tabs or line breaks inside; copy the key again from Intercom in one piece.',
    },
  });

const PrintableAscii = () =>
  ValidateBy({
    name: 'printableAscii',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || /^[\x20-\x7e]*$/.test(value),
      defaultMessage: () =>
        'secret must contain only printable ASCII characters (letters, digits and symbols); copy the key again from Intercom.',
    },
  });

export class SaveSecretDto {
  @ApiProperty({
    description:
      "The Messenger API secret key from Intercom's Messenger Security settings. Stored encrypted and never shown again; surrounding whitespace is trimmed.",
    minLength: SECRET_MIN_LENGTH,
    maxLength: SECRET_MAX_LENGTH,
    format: 'password',
    writeOnly: true,
  })
  @Transform(trim)
  @IsString({ message: 'secret must be a string: paste the Messenger API secret key as text.' })
  @Length(SECRET_MIN_LENGTH, SECRET_MAX_LENGTH, {
    message: `secret must be ${SECRET_MIN_LENGTH} to ${SECRET_MAX_LENGTH} characters once surrounding spaces are trimmed; paste the whole Messenger API secret key.`,
  })
  @NoWhitespaceInside()
  @PrintableAscii()
  secret: string;

  @ApiPropertyOptional({
    enum: PLATFORMS,
    isArray: true,
    default: [...PLATFORMS],
    description: 'Which Messenger installs this key serves; all three when left out.',
  })
  @IsOptional()
  @IsArray({ message: 'platforms must be a list, like ["web", "ios"].' })
  @ArrayNotEmpty({
    message: 'platforms must name at least one of web, ios and android; leave it out to use the key on all three.',
  })
  @ArrayUnique({ message: 'platforms must name each platform only once.' })
  @IsIn(PLATFORMS, { each: true, message: 'platforms may only contain "web", "ios" and "android".' })
  platforms?: Platform[];
}

export class SecretVersionParams {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  tenantId: string;

  @ApiProperty({ minimum: 1, example: 2 })
  // Only plain positive numbers convert; anything else stays a string and fails with one message.
  @Transform(({ value }) => (typeof value === 'string' && /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'version must be a whole number from 1 up, like 2: a version from the list of secret versions.' })
  version: number;
}

export class SavedSecretDto implements SavedSecret {
  @ApiProperty({ example: 3, description: 'Numbered per tenant: 1, 2, 3, ...' }) version: number;
  @ApiProperty({ enum: PLATFORMS, isArray: true }) platforms: Platform[];
  @ApiProperty({ example: 'sha256:3f9a0c1d2b4e5f60', description: 'Identifies the key without revealing it.' })
  fingerprint: string;
  @ApiProperty({ example: 'x7Qz', description: 'The last 4 characters of the key.' }) last4: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'createdAt plus the rotation period in force now.' })
  rotationDueAt: string;
}

export class SecretVersionDto implements SecretVersion {
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ enum: PLATFORMS, isArray: true, description: 'The platforms the key was saved for.' })
  platforms: Platform[];
  @ApiProperty({
    enum: PLATFORMS,
    isArray: true,
    description: 'The platforms it signs for now: those no newer active version serves. Empty unless active.',
  })
  signingPlatforms: Platform[];
  @ApiProperty({
    enum: SECRET_STATES,
    description: 'active: may sign; previous: replaced on every platform, waiting to be retired; retired.',
  })
  state: SecretState;
  @ApiProperty() fingerprint: string;
  @ApiProperty() last4: string;
  @ApiProperty({ description: 'Id of the master key that wraps this version’s data key.' }) masterKeyId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'Email of who saved it; null once that user is deleted.' })
  createdBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Set while the version is active.' })
  rotationDueAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) retiredAt: string | null;
}
