/**
 * Field rules mirrored from the API's request validation, so most mistakes are caught before a
 * round trip. The API stays the authority: whatever it answers per field is shown as it comes.
 * Each rule returns the message to show, or null when the value is fine.
 */

export const NEW_PASSWORD_MIN_LENGTH = 12;
export const TENANT_NAME_MAX_LENGTH = 100;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(value: string): string | null {
  const email = value.trim();
  if (!email) return 'Enter an email address.';
  if (!EMAIL_SHAPE.test(email)) return 'Enter an email address like name@example.com.';
  return null;
}

export function passwordRequiredError(value: string): string | null {
  return value ? null : 'Enter your password.';
}

export function newPasswordError(value: string): string | null {
  if (!value) return 'Choose a password.';
  if (characterCount(value) < NEW_PASSWORD_MIN_LENGTH) {
    return `Use at least ${NEW_PASSWORD_MIN_LENGTH} characters.`;
  }
  return null;
}

export function passwordConfirmationError(value: string, password: string): string | null {
  if (!value) return 'Type the password again.';
  return value === password ? null : "The two passwords don't match.";
}

export function tenantNameError(value: string): string | null {
  const name = value.trim();
  if (!name) return 'Enter a name for the tenant.';
  if (characterCount(name) > TENANT_NAME_MAX_LENGTH) {
    return `Use at most ${TENANT_NAME_MAX_LENGTH} characters.`;
  }
  return null;
}

/** Characters as a person counts them: an emoji is one, not two UTF-16 units. */
function characterCount(value: string): number {
  return [...value].length;
}
