import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'mv_session';

/** An opaque random id for the cookie; only its SHA-256 is stored, so a database dump signs no one in. */
export function newOpaqueToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
