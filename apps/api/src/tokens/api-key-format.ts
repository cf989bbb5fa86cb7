import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PATTERN = /^mvk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

/**
 * `mvk_<12-char prefix>_<32 random bytes, base64url>`. The prefix is stored in clear to find the
 * row and to show in the UI; only the SHA-256 of the whole key is stored. 256 random bits make a
 * slow hash pointless here, and a fast one keeps the hot path fast.
 */
export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const key = `mvk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The prefix of a well-formed key, or null: malformed keys are refused before any lookup. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The cached path's check of a presented key against the one string that matched before, in
 * constant time: `===` stops at the first differing character, which leaks how much of a
 * guess was right. Keys of a well-formed shape all have the same length.
 */
export function sameKey(presented: string, verified: string): boolean {
  return sameHash(Buffer.from(presented, 'utf8'), Buffer.from(verified, 'utf8'));
}
