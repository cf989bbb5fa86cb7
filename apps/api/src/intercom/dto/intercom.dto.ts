import { ApiProperty } from '@nestjs/swagger';
import type { SigningSecret } from '@messenger-vault/contracts';
import { SecretVersionDto } from '../../vault/dto/secret.dto';

export class SigningSecretDto implements SigningSecret {
  @ApiProperty({ example: 3 }) version: number;
  @ApiProperty({ example: 'sha256:3f9a0c1d2b4e5f60' }) fingerprint: string;
  @ApiProperty({ example: 'x7Qz' }) last4: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) rotationDueAt: string;
}

export class IntercomSetupDto {
  @ApiProperty({
    type: SigningSecretDto,
    nullable: true,
    description: 'The newest version that signs tokens; null until a secret key is saved.',
  })
  secret: SigningSecretDto | null;

  @ApiProperty({ type: [SecretVersionDto], description: 'Every saved version, newest first. Metadata only.' })
  secrets: SecretVersionDto[];
}
