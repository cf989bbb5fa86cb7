import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class SetWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.com/messenger-vault',
    description: 'Where reminders are POSTed: https (plain http only for localhost outside production).',
    maxLength: 2048,
  })
  @IsString({ message: 'url must be a string, like https://hooks.example.com/messenger-vault.' })
  @MaxLength(2048, { message: 'url must be at most 2048 characters.' })
  url: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://hooks.example.com/messenger-vault' }) url: string;
  @ApiProperty({ format: 'date-time', description: 'When this URL and signing secret were set.' }) createdAt: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_3q2-7wEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    description:
      'Shown only in this answer: store it with your receiver. Each delivery carries Messenger-Vault-Signature: ' +
      't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with this string>; refuse a t older than five minutes.',
  })
  signingSecret: string;
}
