import { ApiProperty } from '@nestjs/swagger';
import type { SigningSecret } from '@messenger-vault/contracts';
import { SecretVersionDto } from '../../vault/dto/secret.dto';
import { PlatformsDto, SetupProblemDto, SetupStepDto } from './setup-status.dto';
import { CustomAttributeRuleDto } from './setup.dto';

export class SigningSecretDto implements SigningSecret {
  @ApiProperty({ example: 3 }) version: number;
  @ApiProperty({ example: 'sha256:3f9a0c1d2b4e5f60' }) fingerprint: string;
  @ApiProperty({ example: 'x7Qz' }) last4: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) rotationDueAt: string;
}

export class IntercomSetupDto {
  @ApiProperty({ nullable: true, type: String, example: 'xyz123', description: 'Step 1; null until set.' }) appId:
    string | null;
  @ApiProperty({ enum: ['us', 'eu', 'au'] }) region: 'us' | 'eu' | 'au';
  @ApiProperty({ example: 'https://api-iam.intercom.io', description: 'The Messenger api_base for the region.' })
  apiBase: string;
  @ApiProperty({ enum: ['jwt', 'hmac'] }) identityMode: 'jwt' | 'hmac';
  @ApiProperty({ example: 3600 }) tokenTtlSeconds: number;
  @ApiProperty({ example: 90 }) rotationPeriodDays: number;
  @ApiProperty({ example: 14 }) reminderLeadDays: number;
  @ApiProperty({ description: 'Step 4: due versions are rotated automatically through the Intercom connection.' })
  autoRotate: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When step 4 was saved.' })
  settingsSavedAt: string | null;

  @ApiProperty({ type: [CustomAttributeRuleDto], description: 'The signed custom attribute allow-list.' })
  customAttributes: CustomAttributeRuleDto[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "The Messenger's session_duration in seconds; null: Intercom's default.",
  })
  sessionDurationSeconds: number | null;
  @ApiProperty({
    enum: ['web', 'ios', 'android'],
    isArray: true,
    nullable: true,
    description: 'The platforms the tenant ships; null until declared (step 3 then counts any protected platform).',
  })
  declaredPlatforms: Array<'web' | 'ios' | 'android'> | null;
  @ApiProperty({ description: 'Whether user ids that are email addresses are accepted (discouraged opt-in).' })
  allowEmailUserIds: boolean;

  @ApiProperty({
    type: SigningSecretDto,
    nullable: true,
    description: 'The newest version that signs tokens; null until a secret key is saved.',
  })
  secret: SigningSecretDto | null;

  @ApiProperty({ type: [SecretVersionDto], description: 'Every saved version, newest first. Metadata only.' })
  secrets: SecretVersionDto[];

  @ApiProperty({ type: PlatformsDto, description: 'Per platform: Messenger Security status and token traffic.' })
  platforms: PlatformsDto;
  @ApiProperty({ type: [SetupStepDto], description: 'The five setup steps, in order.' }) steps: SetupStepDto[];
  @ApiProperty({ type: [SetupProblemDto], description: 'What needs attention, most serious first.' })
  problems: SetupProblemDto[];
}
