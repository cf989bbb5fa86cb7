import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';
import { checkOutboundUrlShape, type UrlRules } from '../../common/outbound';
import { TOKEN_REQUEST_LIMITS } from '@messenger-vault/contracts';

export const JWKS_URL: UrlRules = {
  field: 'jwksUrl',
  what: "the https URL of your identity provider's JWKS",
  example: 'like https://auth.acme.example/.well-known/jwks.json',
  noCredentials: 'a JWKS is public; give its plain URL.',
};

/** The shape every environment accepts; production's stricter rules run in IdentityProviderService. */
const IsJwksUrl = () =>
  ValidateBy({
    name: 'isJwksUrl',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && checkOutboundUrlShape(value, JWKS_URL, false).ok,
      defaultMessage: (args) => {
        const checked = typeof args?.value === 'string' ? checkOutboundUrlShape(args.value, JWKS_URL, false) : null;
        return checked && !checked.ok ? checked.message : 'jwksUrl must be a string.';
      },
    },
  });
const ORIGIN = /^(https:\/\/[a-z0-9.-]+|http:\/\/(localhost|127\.0\.0\.1))(:\d{1,5})?$/;
const CLAIM = /^[A-Za-z0-9_.:/-]{1,100}$/;

export class IdentityProviderDto {
  @ApiProperty({
    example: 'https://auth.acme.example/',
    description: 'The `iss` your identity provider puts in ID tokens.',
  })
  @IsString({ message: 'issuer must be a string.' })
  @Length(1, 500, { message: 'issuer must be 1 to 500 characters.' })
  issuer: string;

  @ApiProperty({ example: 'https://auth.acme.example/.well-known/jwks.json' })
  @IsString({ message: 'jwksUrl must be a string.' })
  @IsJwksUrl()
  jwksUrl: string;

  @ApiProperty({ example: 'acme-web-app', description: 'The `aud` your ID tokens carry for this app.' })
  @IsString({ message: 'audience must be a string.' })
  @Length(1, 255, { message: 'audience must be 1 to 255 characters.' })
  audience: string;

  @ApiPropertyOptional({ default: 'sub', description: 'The claim that holds your user id.' })
  @IsOptional()
  @Matches(CLAIM, { message: 'userIdClaim must be a claim name such as sub or user_id.' })
  userIdClaim?: string;

  @ApiPropertyOptional({ example: 'email', nullable: true, type: String })
  @IsOptional()
  @Matches(CLAIM, { message: 'emailClaim must be a claim name such as email.' })
  emailClaim?: string | null;

  @ApiPropertyOptional({
    type: [String],
    example: ['https://app.acme.example'],
    description: 'Browser origins allowed to call the exchange endpoint (CORS).',
  })
  @IsOptional()
  @IsArray({ message: 'allowedOrigins must be a list of origins.' })
  @ArrayMaxSize(20, { message: 'allowedOrigins may hold at most 20 origins.' })
  @Matches(ORIGIN, {
    each: true,
    message:
      'each of allowedOrigins must be an origin like https://app.acme.example (scheme and host, no path; http only for localhost).',
  })
  allowedOrigins?: string[];
}

export class IdentityProviderResponseDto extends IdentityProviderDto {
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class DebugTokenDto {
  @ApiProperty({ description: 'Any Messenger JWT, e.g. copied from your app.' })
  @IsString({ message: 'token must be a string.' })
  @Length(1, 16384, { message: 'token must be 1 to 16384 characters: paste the whole JWT.' })
  token: string;
}

export class TestTokenDto {
  @ApiProperty({ example: '42', minLength: 1, maxLength: TOKEN_REQUEST_LIMITS.userIdMaxLength })
  @IsString({ message: 'user_id must be a string.' })
  @Length(1, TOKEN_REQUEST_LIMITS.userIdMaxLength, {
    message: `user_id must be 1 to ${TOKEN_REQUEST_LIMITS.userIdMaxLength} characters.`,
  })
  user_id: string;

  @ApiProperty({ enum: ['web', 'ios', 'android'] })
  @Matches(/^(web|ios|android)$/, { message: 'platform must be "web", "ios" or "android".' })
  platform: 'web' | 'ios' | 'android';

  @ApiPropertyOptional({
    type: Object,
    example: { plan: 'pro' },
    description: 'Allow-listed custom attributes to sign into the test token, as on POST /v1/intercom/token.',
  })
  @IsOptional()
  @IsObject({ message: 'custom_attributes must be an object like {"plan": "pro"}.' })
  custom_attributes?: Record<string, string | number | boolean>;
}

export class TokenProblemDto {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class DebugTokenResultDto {
  @ApiProperty({ description: 'Whether Intercom would accept the token: true when `problems` is empty.' })
  valid: boolean;
  @ApiProperty({ type: Object, nullable: true }) header: Record<string, unknown> | null;
  @ApiProperty({ type: Object, nullable: true }) payload: Record<string, unknown> | null;
  @ApiProperty({ type: [TokenProblemDto], description: 'Why Intercom would reject the token.' })
  problems: TokenProblemDto[];
  @ApiProperty({
    type: [TokenProblemDto],
    description:
      'What Intercom accepts but this workspace should not ship: `missing_exp`, `lifetime_exceeds_policy`, `user_id_is_email` (allowed by the tenant, still discouraged), `attributes_nested` (attributes must be top-level claims). Never makes the token invalid.',
  })
  warnings: TokenProblemDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'The secret version whose key verified the signature.' })
  keyVersion: number | null;
}

export class TestTokenResultDto {
  @ApiProperty({ enum: ['jwt', 'hmac'] }) mode: 'jwt' | 'hmac';
  @ApiPropertyOptional() token?: string;
  @ApiPropertyOptional({ format: 'date-time' }) expiresAt?: string;
  @ApiPropertyOptional() userHash?: string;
  @ApiProperty() appId: string;
  @ApiProperty() keyVersion: number;
}
