import { createHmac } from 'node:crypto';
import { encodeFields } from './length-prefixed-fields';
import { strictUtf8 } from './strict-utf8';

const REDACTED = '[redacted]';
const FINGERPRINT_LABEL = 'messenger-vault:secret-fingerprint';
const FINGERPRINT_HEX_CHARS = 16;
/** `last4` stays empty below this length, so it never shows a large share of a short secret. */
const LAST4_MIN_LENGTH = 16;

/**
 * Identifies a secret version on screen without revealing it: `sha256:` and 16 hex characters
 * (64 bits) of HMAC-SHA256 keyed with a fixed label, over the tenant id and the secret.
 *
 * The tenant id makes the same secret fingerprint differently in two tenants, so fingerprints
 * cannot be correlated across tenants. The tradeoff: the HMAC key is public, so whoever holds a
 * fingerprint can test guesses at SHA-256 speed. That is acceptable for what is stored here,
 * machine-generated keys with far more entropy than any search can cover; it would not be for
 * passwords. Keying it with a master key would resist guessing but change every fingerprint at
 * each key rotation, and a slow KDF would only delay guesses at a short secret, not stop them.
 */
export function fingerprintSecret(tenantId: string, plaintext: string): string {
  const secret = strictUtf8('plaintext', plaintext);
  try {
    const mac = createHmac('sha256', FINGERPRINT_LABEL)
      .update(encodeFields([strictUtf8('tenantId', tenantId), secret]))
      .digest('hex');
    return `sha256:${mac.slice(0, FINGERPRINT_HEX_CHARS)}`;
  } finally {
    secret.fill(0);
  }
}

/**
 * A plaintext secret that will not print itself: `String()`, template strings, `JSON.stringify`,
 * `console.log` and `util.inspect` all show `[redacted]`. Only `reveal()` returns the text, so
 * every use of the plaintext is a call someone can search for.
 */
export class SecretValue {
  readonly #plaintext: string;
  readonly fingerprint: string;
  /** The last four characters, or '' when the secret is shorter than 16 characters. */
  readonly last4: string;

  constructor(plaintext: string, tenantId: string) {
    this.fingerprint = fingerprintSecret(tenantId, plaintext);
    const characters = Array.from(plaintext);
    this.last4 = characters.length >= LAST4_MIN_LENGTH ? characters.slice(-4).join('') : '';
    this.#plaintext = plaintext;
  }

  reveal(): string {
    return this.#plaintext;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
