import { SignJWT } from 'jose';

import { assertSignableClaims, type MessengerClaims } from './claims';
import { assertHmacSha256Key, type HmacKey } from './hmac-key';

/**
 * Signs Messenger claims as the HS256 JWT Intercom expects in `intercom_user_jwt` (web) or the
 * SDKs' setUserJwt (iOS, Android). Times come from the claims, never from a clock here.
 */
export async function signMessengerJwt(claims: MessengerClaims, key: HmacKey): Promise<string> {
  assertSignableClaims(claims);
  assertHmacSha256Key(key);
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}
