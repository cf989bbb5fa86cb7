/**
 * Field rules mirrored from the API's request DTOs (sign-in, invitation, tenant), so most
 * mistakes are caught before a round trip. The API stays the authority: whatever it answers per
 * field is shown as it comes. Each rule returns the message to show, or null when it's fine.
 */

export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_MAX_LENGTH = 1024;
export const NEW_PASSWORD_MIN_LENGTH = 12;
export const TENANT_NAME_MAX_LENGTH = 100;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(value: string): string | null {
  const email = value.trim();
  if (!email) return 'Enter an email address.';
  if (email.length > EMAIL_MAX_LENGTH) return `Use at most ${EMAIL_MAX_LENGTH} characters.`;
  if (!EMAIL_SHAPE.test(email)) return 'Enter an email address like name@example.com.';
  return null;
}

export function passwordRequiredError(value: string): string | null {
  if (!value) return 'Enter your password.';
  return tooLongPassword(value);
}

export function newPasswordError(value: string): string | null {
  if (!value) return 'Choose a password.';
  if (characterCount(value) < NEW_PASSWORD_MIN_LENGTH) {
    return `Use at least ${NEW_PASSWORD_MIN_LENGTH} characters.`;
  }
  return tooLongPassword(value);
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

function tooLongPassword(value: string): string | null {
  return characterCount(value) > PASSWORD_MAX_LENGTH ? `Use at most ${PASSWORD_MAX_LENGTH} characters.` : null;
}

/** Characters as a person counts them: an emoji is one, not two UTF-16 units. */
function characterCount(value: string): number {
  return [...value].length;
}
