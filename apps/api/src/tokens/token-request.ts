import { TOKEN_REQUEST_LIMITS } from '@messenger-vault/contracts';
import { isPlatform, type Platform } from '@messenger-vault/intercom';
import { isEmailAddress, MAX_EMAIL_LENGTH } from '../common/email';
import { validationError } from '../common/errors';
import { FieldProblems } from '../common/field-problems';

export interface TokenRequest {
  userId: string;
  email?: string;
  name?: string;
  platform: Platform;
}

const { userIdMaxLength: MAX_USER_ID, nameMaxLength: MAX_NAME } = TOKEN_REQUEST_LIMITS;
const ALLOWED = new Set(['user_id', 'email', 'name', 'platform']);
const ALLOWED_LIST = [...ALLOWED].join(', ');

/**
 * The public token body, checked by hand: this runs on every token request, and a few plain
 * checks cost far less than class-validator. Every problem is reported, one message per field.
 */
export function parseTokenRequest(body: unknown, allowed: ReadonlySet<string> = ALLOWED): TokenRequest {
  const problems = new FieldProblems();
  const problem = (field: string, message: string) => problems.add(field, message);
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
  else if (isEmailAddress(userId))
    problem(
      'user_id',
      "user_id looks like an email address. Send your app's own user id as user_id and the address as email.",
    );

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

  if (problems.any) throw validationError(problems.toRecord());
  return {
    userId: userId as string,
    platform: b.platform as Platform,
    ...(b.email !== undefined ? { email: b.email as string } : {}),
    ...(b.name !== undefined ? { name: b.name as string } : {}),
  };
}
