import { createHmac } from 'node:crypto';

import { ClaimsError } from './claims';
import { assertSecret } from './hmac-key';

/**
 * Legacy Identity Verification: the `user_hash` Intercom expects beside `user_id`, an
 * HMAC-SHA256 of the user_id under the secret, as lowercase hex (the mobile SDKs reject
 * uppercase hex).
 */
export function legacyUserHash(userId: string, secret: string): string {
  if (typeof userId !== 'string' || userId === '') {
    throw new ClaimsError('user_id_missing', "userId is required: pass your app's stable id for the signed-in user.");
  }
  assertSecret(secret);
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}
