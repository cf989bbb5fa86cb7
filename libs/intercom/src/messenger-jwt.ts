import { SignJWT } from 'jose';

import { ClaimsError, type MessengerClaims } from './claims';
import { assertHmacSha256Key, type HmacKey } from './hmac-key';

/**
 * Signs Messenger claims as the HS256 JWT Intercom expects in `intercom_user_jwt` (web) or the
 * SDKs' setUserJwt (iOS, Android). Times come from the claims, never from a clock here.
 */
export async function signMessengerJwt(claims: MessengerClaims, key: HmacKey): Promise<string> {
  // Claims may come from somewhere other than buildMessengerClaims; a token without these
  // would be refused by Intercom only later, in the user's browser.
  if (typeof claims?.user_id !== 'string' || claims.user_id === '') {
    throw new ClaimsError(
      'user_id_missing',
      'The claims have no user_id string. Build them with buildMessengerClaims.',
    );
  }
  if (!Number.isSafeInteger(claims.exp) || !Number.isSafeInteger(claims.iat)) {
    throw new ClaimsError(
      'ttl_invalid',
      'The claims need iat and exp as whole Unix seconds. Build them with buildMessengerClaims.',
    );
  }
  assertHmacSha256Key(key);
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}
