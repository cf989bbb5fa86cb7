import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Ties one "Sign in with SSO" to the browser that started it: a random value whose SHA-256 names
 * the server-side record holding state, nonce and PKCE verifier. SameSite=Lax, not Strict: the
 * identity provider sends the browser back with a cross-site top-level GET, which a Strict cookie
 * would not reach. Scoped to the callback, HttpOnly, and gone after one use or ten minutes.
 */
export const OIDC_COOKIE = 'mv_oidc';
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
export const OIDC_LOGIN_SECONDS = 600;

const secure = (request: FastifyRequest, publicUrl: string | null) =>
  request.protocol === 'https' || (publicUrl?.startsWith('https://') ?? false);

export function setOidcCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  token: string,
  publicUrl: string | null,
): void {
  void reply.setCookie(OIDC_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(request, publicUrl),
    path: OIDC_CALLBACK_PATH,
    maxAge: OIDC_LOGIN_SECONDS,
  });
}

export function clearOidcCookie(reply: FastifyReply, request: FastifyRequest, publicUrl: string | null): void {
  void reply.clearCookie(OIDC_COOKIE, {
    path: OIDC_CALLBACK_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(request, publicUrl),
  });
}

export function readOidcCookie(request: FastifyRequest): string | undefined {
  return request.cookies?.[OIDC_COOKIE];
}
