import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsEmail({}, { message: 'email must be an email address, like admin@example.com.' })
  @MaxLength(254, { message: 'email must be at most 254 characters.' })
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString({ message: 'password must be a string.' })
  @MinLength(1, { message: 'password is required.' })
  @MaxLength(1024, { message: 'password must be at most 1024 characters.' })
  password: string;
}
