import fc from 'fast-check';
import { jwtVerify } from 'jose';
import { inspect } from 'node:util';

import { buildMessengerClaims } from './claims';
import { MessengerJwtSigner } from './jwt-signer';
import { importHmacKey } from './hmac-key';
import { signMessengerJwt } from './messenger-jwt';

const now = new Date('2026-05-01T10:00:00Z');

test('the sync signer produces byte-for-byte the token jose signs for the same claims', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() === s && !s.includes('@')),
      fc.string({ minLength: 16, maxLength: 64 }),
      async (userId, secret) => {
        const claims = buildMessengerClaims({ userId, name: 'Ada' }, { now, ttlSeconds: 600 });
        const mine = new MessengerJwtSigner(secret).sign(claims);
        const theirs = await signMessengerJwt(claims, await importHmacKey(secret));
        expect(mine).toBe(theirs);
      },
    ),
    { numRuns: 50 },
  );
});

test('jose verifies what the sync signer signs, and refuses it under another secret', async () => {
  const claims = buildMessengerClaims({ userId: '42' }, { now: new Date(), ttlSeconds: 600 });
  const token = new MessengerJwtSigner('the-right-secret-123').sign(claims);
  const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode('the-right-secret-123'));
  expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
  expect(payload.user_id).toBe('42');
  await expect(jwtVerify(token, new TextEncoder().encode('another-secret-1234'))).rejects.toThrow();
});

test('the signer refuses claims without user_id and never prints its key', () => {
  const signer = new MessengerJwtSigner('canary-secret-value-xyz');
  expect(() => signer.sign({ iat: 1, exp: 2 } as never)).toThrow(/user_id/);
  expect(() => new MessengerJwtSigner('')).toThrow(/empty/);
  expect(JSON.stringify({ signer })).not.toContain('canary');
  expect(inspect(signer)).not.toContain('canary');
});
