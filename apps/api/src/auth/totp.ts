import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app speaks it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = 'Messenger Vault';

function totpOf(base32Secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(base32Secret),
  });
}

/** A fresh 160-bit secret (RFC 4226's recommended length), base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUrl(base32Secret: string, accountEmail: string): string {
  return totpOf(base32Secret, accountEmail).toString();
}

/**
 * The time step `code` belongs to, within ±1 step of `nowMs` (clock drift and typing time), or
 * null. The caller stores the step so the same code, or an older one, is never accepted again.
 */
export function matchTotpStep(base32Secret: string, code: string, nowMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(base32Secret).validate({ token: code, timestamp: nowMs, window: 1 });
  if (delta === null) return null;
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

export function totpCodeAt(base32Secret: string, nowMs: number): string {
  return totpOf(base32Secret).generate({ timestamp: nowMs });
}

// No 0/o, 1/l/i: codes get read off paper.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;
export const RECOVERY_CODE_COUNT = 10;

/** Ten codes like `k7m2p-9xq4r` (about 50 bits each), shown once. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: RECOVERY_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

/** Spaces, dashes and case do not matter; null when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toLowerCase();
  return code.length === RECOVERY_LENGTH && [...code].every((c) => RECOVERY_ALPHABET.includes(c)) ? code : null;
}

/**
 * SHA-256, not argon2: the codes are random with ~50 bits, like session ids, so a slow hash adds
 * nothing against a dump while it would let wrong guesses cost the server.
 */
export function hashRecoveryCode(normalized: string): Buffer {
  return createHash('sha256').update(`mv-recovery:${normalized}`, 'utf8').digest();
}
