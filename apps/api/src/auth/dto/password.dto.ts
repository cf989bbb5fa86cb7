import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '../passwords';

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString({ message: 'currentPassword must be a string.' })
  @MinLength(1, { message: 'currentPassword is required.' })
  @MaxLength(1024, { message: 'currentPassword must be at most 1024 characters.' })
  currentPassword: string;

  @ApiProperty({ format: 'password', minLength: MIN_PASSWORD_LENGTH })
  @IsString({ message: 'newPassword must be a string.' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `newPassword must be at least ${MIN_PASSWORD_LENGTH} characters.` })
  @MaxLength(1024, { message: 'newPassword must be at most 1024 characters.' })
  newPassword: string;
}
