import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

import { assertSignableClaims, type MessengerClaims } from './claims';
import { assertSecret } from './hmac-key';

// The header never changes, so it is encoded once.
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * Signs Messenger JWTs (HS256) synchronously with node:crypto, for the token endpoint's hot path.
 * jose's `SignJWT` goes through WebCrypto, whose every call is a round trip to the thread pool:
 * measured here at ~52k signatures/s with 50 in flight against ~250k/s for this signer, which is
 * the difference between meeting the token endpoint's throughput target and missing it
 * (docs/decisions/0007-token-hot-path.md). Tokens are still verified with jose and with an
 * independent implementation in the tests.
 */
export class MessengerJwtSigner {
  private readonly key: KeyObject;

  constructor(secret: string) {
    assertSecret(secret);
    // The secret's UTF-8 bytes are the key, as in Intercom's own examples.
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(claims: MessengerClaims): string {
    assertSignableClaims(claims);
    const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${signingInput}.${createHmac('sha256', this.key).update(signingInput).digest('base64url')}`;
  }

  // A signer holds key material: keep it out of logs and JSON.
  toJSON(): string {
    return '[MessengerJwtSigner]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[MessengerJwtSigner]';
  }
}
