import { TOKEN_REQUEST_LIMITS } from '@messenger-vault/contracts';

/** Longest address SMTP carries (RFC 5321: 254 octets in a path); the limit lives in contracts. */
export const MAX_EMAIL_LENGTH = TOKEN_REQUEST_LIMITS.emailMaxLength;

const WHITESPACE = /\s/;

/**
 * `local@domain.tld`: one `@`, no whitespace, a dot inside the domain with text on both sides.
 * Hand-written rather than a pattern like /^[^\s@]+@[^\s@]+\.[^\s@]+$/, which backtracks
 * quadratically on a long string without a match (60,000 characters cost seconds of CPU); this
 * is one pass, and refuses anything over the length limit before looking at it.
 */
export function isEmailAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_EMAIL_LENGTH) return false;
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@') || WHITESPACE.test(value)) return false;
  const dot = value.indexOf('.', at + 2);
  return dot !== -1 && dot < value.length - 1;
}
