import { ApiProperty } from '@nestjs/swagger';

export class DeviceDto {
  @ApiProperty({ example: 'Chrome 131 on macOS', description: 'Read from the User-Agent the session signed in with.' })
  label: string;
  @ApiProperty({ enum: ['desktop', 'mobile', 'tablet', 'other'] }) kind: 'desktop' | 'mobile' | 'tablet' | 'other';
}

export class SessionDto {
  @ApiProperty({ format: 'uuid', description: 'The session’s public id; not the cookie.' }) id: string;
  @ApiProperty({ type: DeviceDto }) device: DeviceDto;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7', description: 'The IP it signed in from.' })
  ip: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'Updated at most once a minute.' }) lastSeenAt: string;
  @ApiProperty({ enum: ['password', 'sso'] }) signedInWith: 'password' | 'sso';
  @ApiProperty({ description: 'The session this request came with.' }) current: boolean;
}

export class SessionListDto {
  @ApiProperty({ type: [SessionDto], description: 'Most recently seen first.' }) sessions: SessionDto[];
}

export class SessionsEndedDto {
  @ApiProperty({ example: true }) ok: boolean;
  @ApiProperty({ description: 'How many other sessions ended.', example: 2 }) ended: number;
}
