import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The pending sign-in between a correct password and its code. Scoped to the one route that reads
 * it, so the browser never sends it anywhere else, and it is no session: the access guard only
 * reads `mv_session`.
 */
export const MFA_COOKIE = 'mv_mfa_pending';
const MFA_COOKIE_PATH = '/api/auth/mfa/verify';

const secure = (request: FastifyRequest, publicUrl: string | null) =>
  request.protocol === 'https' || (publicUrl?.startsWith('https://') ?? false);

export function setMfaCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  token: string,
  expiresAt: Date,
  publicUrl: string | null,
): void {
  void reply.setCookie(MFA_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(request, publicUrl),
    path: MFA_COOKIE_PATH,
    expires: expiresAt,
  });
}

export function clearMfaCookie(reply: FastifyReply, request: FastifyRequest, publicUrl: string | null): void {
  void reply.clearCookie(MFA_COOKIE, {
    path: MFA_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(request, publicUrl),
  });
}

export function readMfaCookie(request: FastifyRequest): string | undefined {
  return request.cookies?.[MFA_COOKIE];
}
