/**
 * Rules of the identity provider form, mirrored from the API's `IdentityProviderDto`: the same
 * patterns, so what passes here passes there. Each returns the message to show, or null.
 */

// http is accepted only for an identity provider running on this computer, in development.
const HTTPS_OR_LOCAL = /^(https:\/\/[^\s/]+|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?)(\/\S*)?$/;
const ORIGIN = /^(https:\/\/[a-z0-9.-]+|http:\/\/(localhost|127\.0\.0\.1))(:\d{1,5})?$/;
const CLAIM = /^[A-Za-z0-9_.:/-]{1,100}$/;

export const ISSUER_MAX_LENGTH = 500;
export const AUDIENCE_MAX_LENGTH = 255;
export const MAX_ALLOWED_ORIGINS = 20;

export function issuerError(value: string): string | null {
  if (!value) return 'Enter the issuer (iss) your identity provider puts in ID tokens.';
  if (value.length > ISSUER_MAX_LENGTH) return `Use at most ${ISSUER_MAX_LENGTH} characters.`;
  return null;
}

export function jwksUrlError(value: string): string | null {
  if (!value) return "Enter the address of your identity provider's JWKS (its public keys).";
  if (!HTTPS_OR_LOCAL.test(value)) {
    return 'Use an https:// address, like https://auth.example.com/.well-known/jwks.json (http:// only for localhost).';
  }
  return null;
}

export function audienceError(value: string): string | null {
  if (!value) return 'Enter the audience (aud) your ID tokens carry for this app.';
  if (value.length > AUDIENCE_MAX_LENGTH) return `Use at most ${AUDIENCE_MAX_LENGTH} characters.`;
  return null;
}

/** A claim name, like sub or email; empty means "the default" and is fine. */
export function claimError(value: string): string | null {
  if (!value) return null;
  return CLAIM.test(value) ? null : 'Use a claim name such as sub, user_id or email (letters, digits and _ . : / -).';
}

export function allowedOriginsError(origins: readonly string[]): string | null {
  if (origins.length > MAX_ALLOWED_ORIGINS) return `List at most ${MAX_ALLOWED_ORIGINS} origins.`;
  const wrong = origins.filter((origin) => !ORIGIN.test(origin));
  if (wrong.length === 0) return null;
  return `${wrong.join(', ')}: an origin is a scheme and host with no path, like https://app.example.com (http only for localhost).`;
}

/** What a person types in "one origin per line" → the list, blank lines and trailing slashes dropped. */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}
