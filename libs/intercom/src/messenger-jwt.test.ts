import { createHmac, timingSafeEqual } from 'node:crypto';

import {
  buildMessengerClaims,
  ClaimsError,
  importHmacKey,
  SecretError,
  signMessengerJwt,
  type MessengerClaims,
} from './index';

const secret = 'test-secret-0123456789abcdef';
const now = new Date('2026-01-01T00:00:00Z');

/** HS256 written out from RFC 7515 with node:crypto alone, so it shares no code with jose. */
function verifyHs256Independently(token: string, key: string): { header: unknown; payload: unknown } | null {
  const [header, payload, signature, ...extra] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || extra.length > 0) return null;
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  const matches =
    expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (!matches) return null;
  const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: decode(header), payload: decode(payload) };
}

describe('signMessengerJwt', () => {
  test('signs an HS256 JWT that an independent HS256 implementation verifies, with typ JWT', async () => {
    const claims = buildMessengerClaims({ userId: '42', email: 'jane@example.com' }, { now, ttlSeconds: 3600 });
    const token = await signMessengerJwt(claims, await importHmacKey(secret));

    const verified = verifyHs256Independently(token, secret);
    expect(verified).not.toBeNull();
    expect(verified?.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(verified?.payload).toEqual(claims);
  });

  test('the token carries user_id as a string and exp = iat + ttl, with no clock of its own', async () => {
    const key = await importHmacKey(secret);
    const token = await signMessengerJwt(buildMessengerClaims({ userId: '7' }, { now, ttlSeconds: 900 }), key);
    const payload = verifyHs256Independently(token, secret)?.payload as MessengerClaims;
    expect(payload.user_id).toBe('7');
    expect(payload.iat).toBe(now.getTime() / 1000);
    expect(payload.exp).toBe(payload.iat + 900);
  });

  test('a token signed with one secret does not verify under another', async () => {
    const token = await signMessengerJwt(
      buildMessengerClaims({ userId: '42' }, { now, ttlSeconds: 60 }),
      await importHmacKey(secret),
    );
    expect(verifyHs256Independently(token, `${secret}x`)).toBeNull();
  });

  test('signs non-ASCII secrets and values as UTF-8, as other HS256 libraries do', async () => {
    const unicodeSecret = 'clé-secrète-ü-日本-0123456789';
    const claims = buildMessengerClaims({ userId: 'ユーザー-1', name: 'Zoë' }, { now, ttlSeconds: 60 });
    const token = await signMessengerJwt(claims, await importHmacKey(unicodeSecret));
    expect(verifyHs256Independently(token, unicodeSecret)?.payload).toEqual(claims);
  });

  test('the imported key cannot be exported, so the plaintext secret cannot leak from it', async () => {
    const key = await importHmacKey(secret);
    expect(key.extractable).toBe(false);
    expect(key.usages.sort()).toEqual(['sign', 'verify']);
  });

  test('importHmacKey refuses an empty secret with a typed error', async () => {
    await expect(importHmacKey('')).rejects.toMatchObject({ name: 'SecretError', code: 'secret_empty' });
  });

  test('refuses a key that is not HMAC-SHA-256, and claims without user_id, with typed errors', async () => {
    const { webcrypto } = await import('node:crypto');
    const sha512Key = await webcrypto.subtle.importKey(
      'raw',
      Buffer.from(secret),
      { name: 'HMAC', hash: 'SHA-512' },
      false,
      ['sign'],
    );
    const claims = buildMessengerClaims({ userId: '42' }, { now, ttlSeconds: 60 });
    await expect(signMessengerJwt(claims, sha512Key)).rejects.toBeInstanceOf(SecretError);
    await expect(signMessengerJwt({ ...claims, user_id: '' }, await importHmacKey(secret))).rejects.toBeInstanceOf(
      ClaimsError,
    );
  });
});
