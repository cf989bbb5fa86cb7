import { TOKEN_REQUEST_LIMITS } from '@messenger-vault/contracts';
import { isPlatform, PLATFORMS, type Platform } from '@messenger-vault/intercom';
import { isEmailAddress, MAX_EMAIL_LENGTH } from '../common/email';
import { validationError } from '../common/errors';
import { FieldProblems } from '../common/field-problems';
import { checkCustomAttributes, DEFAULT_TOKEN_POLICY, type TokenRequestPolicy } from './token-policy';

export interface TokenRequest {
  userId: string;
  email?: string;
  name?: string;
  platform: Platform;
  /** Checked against the tenant's allow-list; signed as top-level JWT claims (decision 0043). */
  customAttributes?: Record<string, string | number | boolean>;
}

const { userIdMaxLength: MAX_USER_ID, nameMaxLength: MAX_NAME } = TOKEN_REQUEST_LIMITS;

/**
 * The one declaration of the public token body (`POST /v1/intercom/token`, also what the test
 * token and the exchange turn into): the OpenAPI document publishes it as `TokenRequestDto`
 * (create-app.ts) and the checks below take their field list and limits from it.
 */
export const TOKEN_REQUEST_SCHEMA = {
  type: 'object',
  properties: {
    user_id: {
      type: 'string',
      description: "Your app's stable id for the signed-in user; never an email.",
      example: '42',
      maxLength: MAX_USER_ID,
    },
    email: { type: 'string', example: 'ada@example.com', maxLength: MAX_EMAIL_LENGTH },
    name: { type: 'string', example: 'Ada Lovelace', maxLength: MAX_NAME },
    platform: { type: 'string', enum: [...PLATFORMS] },
    custom_attributes: {
      type: 'object',
      description:
        "Signed into the JWT next to user_id (decision 0043). Only names in the tenant's allow-list (settings, step 4), with the type it states: string, number or boolean. Unknown names or wrong types are a 400 naming the attribute. Refused in legacy HMAC mode, which cannot sign attributes.",
      additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
      example: { plan: 'pro', seats: 12 },
    },
  },
  required: ['user_id', 'platform'],
} as const;

export const EMAIL_USER_ID_REFUSED =
  "user_id looks like an email address. Send your app's own user id as user_id and the address as email. " +
  'If your Intercom workspace really identifies users by email, an admin can allow it in the setup wizard (step 5, "Users identified by email").';

const ALLOWED: ReadonlySet<string> = new Set(Object.keys(TOKEN_REQUEST_SCHEMA.properties));
const ALLOWED_LIST = [...ALLOWED].join(', ');

/**
 * The public token body, checked by hand: this runs on every token request, and a few plain
 * checks cost far less than class-validator. Every problem is reported, one message per field.
 */
export function parseTokenRequest(
  body: unknown,
  policy: TokenRequestPolicy = DEFAULT_TOKEN_POLICY,
  allowed: ReadonlySet<string> = ALLOWED,
): TokenRequest {
  // Made on the first problem: a valid body (every token request but a few) allocates none.
  let problems: FieldProblems | undefined;
  const problem = (field: string, message: string) => (problems ??= new FieldProblems()).add(field, message);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError({
      body: ['Send a JSON object like {"user_id": "42", "platform": "web"} with Content-Type: application/json.'],
    });
  }
  const b = body as Record<string, unknown>;
  const expected = allowed === ALLOWED ? ALLOWED_LIST : [...allowed].join(', ');
  for (const key of Object.keys(b))
    if (!allowed.has(key)) problem(key, `${key} is not a field of this request; send only ${expected}.`);

  const userId = b.user_id;
  if (userId === undefined || userId === null || userId === '')
    problem('user_id', "user_id is required: your app's stable id for the signed-in user.");
  else if (typeof userId !== 'string')
    problem('user_id', 'user_id must be a string (send 42 as "42"): Intercom compares it as text.');
  else if (userId.trim() === '') problem('user_id', 'user_id must not be blank.');
  else if (userId.length > MAX_USER_ID) problem('user_id', `user_id must be at most ${MAX_USER_ID} characters.`);
  else if (!policy.allowEmailUserIds && isEmailAddress(userId)) problem('user_id', EMAIL_USER_ID_REFUSED);

  if (b.email !== undefined) {
    // Length first: nothing looks at the characters of an over-long value.
    if (typeof b.email === 'string' && b.email.length > MAX_EMAIL_LENGTH)
      problem('email', `email must be at most ${MAX_EMAIL_LENGTH} characters.`);
    else if (!isEmailAddress(b.email))
      problem('email', 'email must be an email address, like user@example.com, or be left out.');
  }
  if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length > MAX_NAME)) {
    problem('name', `name must be a string of at most ${MAX_NAME} characters, or be left out.`);
  }
  if (b.platform === undefined) problem('platform', 'platform is required: "web", "ios" or "android".');
  else if (!isPlatform(b.platform)) problem('platform', 'platform must be "web", "ios" or "android".');

  const customAttributes = checkCustomAttributes(b.custom_attributes, policy, problem);

  if (problems) throw validationError(problems.toRecord());
  const request: TokenRequest = { userId: userId as string, platform: b.platform as Platform };
  if (customAttributes !== undefined) request.customAttributes = customAttributes;
  if (b.email !== undefined) request.email = b.email as string;
  if (b.name !== undefined) request.name = b.name as string;
  return request;
}
