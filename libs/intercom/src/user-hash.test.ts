import { execFileSync } from 'node:child_process';

import fc from 'fast-check';

import { ClaimsError, legacyUserHash, SecretError } from './index';

/** What Intercom's docs compute with OpenSSL::HMAC.hexdigest, from the openssl binary itself. */
function opensslHmacHex(userId: string, secret: string): string {
  const output = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], { input: userId, encoding: 'utf8' });
  // "SHA2-256(stdin)= <hex>" on OpenSSL 3, "(stdin)= <hex>" on 1.1: the hex is the last word.
  return output.trim().split(/\s+/).at(-1) ?? '';
}

describe('legacyUserHash', () => {
  test.each([
    ['42', 'test-secret-0123456789abcdef'],
    ['user-ü-日本', 'clé-secrète-0123456789'],
    ['a'.repeat(300), 'S3cr3t+/=with-symbols_!$'],
  ])('equals openssl dgst -sha256 -hmac for user %j, in lowercase hex', (userId, secret) => {
    const hash = legacyUserHash(userId, secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(opensslHmacHex(userId, secret));
  });

  test('is always 64 lowercase hex characters, whatever the user id and secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (userId, secret) => {
        expect(legacyUserHash(userId, secret)).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });

  test('refuses an empty user id or secret with typed errors', () => {
    expect(() => legacyUserHash('', 'secret')).toThrow(ClaimsError);
    expect(() => legacyUserHash('42', '')).toThrow(SecretError);
  });
});
