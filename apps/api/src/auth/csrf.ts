import type { FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The public token API (`/v1/`) authenticates with an API key or an ID token, never the session
 * cookie, so it is the one place a cross-site request is expected. Takes the matched route's
 * pattern (`request.routeOptions.url`), not the URL as the client spelled it.
 */
export function isCsrfExempt(routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && routeUrl.startsWith('/v1/');
}

/** The app's own origin: PUBLIC_URL when set, else the scheme and Host of the request itself. */
export function ownOrigin(request: FastifyRequest, publicUrl: string | null): string {
  if (publicUrl) return new URL(publicUrl).origin;
  return `${request.protocol}://${request.headers.host ?? ''}`;
}

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return 'invalid';
  }
}

/**
 * A mutating request (outside /v1/) that carries the session cookie must come from our own origin,
 * judged by Origin or, without one, Referer. With neither we refuse too: every browser we
 * support sends Origin on such requests, so only a forged or stripped request lacks both.
 */
export function csrfProblem(
  request: FastifyRequest,
  hasSessionCookie: boolean,
  publicUrl: string | null,
): string | null {
  if (SAFE_METHODS.has(request.method) || !hasSessionCookie) return null;
  const expected = ownOrigin(request, publicUrl);
  const origin = request.headers.origin;
  const actual = origin && origin !== 'null' ? originOf(origin) : originOf(request.headers.referer);
  if (actual === expected) return null;
  return actual === null
    ? `This request carries no Origin or Referer header, so it can't be told apart from a cross-site request. Send it from ${expected}.`
    : `Requests from ${actual} may not change data here; only ${expected} may. Reload the app from ${expected} and try again.`;
}
