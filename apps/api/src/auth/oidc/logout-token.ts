import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
// Asymmetric only: a logout token signed with the client secret would let anyone holding it end sessions.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface LogoutClaims {
  subject: string | null;
  sid: string | null;
  jti: string;
  expiresAt: Date;
}

export class InvalidLogoutToken extends Error {}

/**
 * Validates a back-channel logout token as OpenID Connect Back-Channel Logout 1.0 §2.6 says:
 * signature from the provider's keys, iss, aud, iat (at most 5 minutes old), the back-channel
 * event, a sub or sid, a jti, and no nonce (so an ID token can't be replayed as one).
 */
export async function verifyLogoutToken(
  token: string,
  keys: JWTVerifyGetKey,
  issuer: string,
  clientId: string,
): Promise<LogoutClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer,
      audience: clientId,
      algorithms: ALGORITHMS,
      maxTokenAge: '5m',
      clockTolerance: 30,
      requiredClaims: ['iat', 'jti'],
    }));
  } catch (err) {
    throw new InvalidLogoutToken(reasonOf(err));
  }
  const events = payload.events as Record<string, unknown> | undefined;
  const event = events?.[BACKCHANNEL_EVENT];
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw new InvalidLogoutToken('it has no back-channel logout event.');
  if ('nonce' in payload) throw new InvalidLogoutToken('it carries a nonce, so it is an ID token, not a logout token.');
  const subject = typeof payload.sub === 'string' && payload.sub ? payload.sub : null;
  const sid = typeof payload.sid === 'string' && payload.sid ? payload.sid : null;
  if (!subject && !sid) throw new InvalidLogoutToken('it names neither a subject (sub) nor a session (sid).');
  const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : (payload.iat! + 300) * 1000;
  return { subject, sid, jti: String(payload.jti).slice(0, 255), expiresAt: new Date(exp + 60_000) };
}

function reasonOf(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'it has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `its "${err.claim}" claim is wrong (${err.reason}).`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'it is not signed with an asymmetric algorithm.';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey)
    return "its signature does not match the identity provider's keys.";
  if (err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JWSInvalid) return 'it is not a signed JWT.';
  return 'it could not be verified.';
}
