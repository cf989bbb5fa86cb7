import type { onRequestHookHandler } from 'fastify';

/**
 * One policy for every page the app serves: the web app and Swagger UI load scripts only from
 * our own origin (no inline script, no eval), nobody may frame us (clickjacking), and Mantine's
 * and Swagger UI's runtime styles need inline styles, which cannot run code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The headers of every response, on both Fastify instances (the token hot path too). Built once;
 * the hook only copies them, so it costs the hot path next to nothing. A CSP on a JSON answer is
 * harmless and keeps one rule for all; HSTS only when the app is reached over https, where the
 * browser honours it.
 */
export function securityHeaderValues(publicUrl: string | null): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cross-origin-opener-policy': 'same-origin',
  };
  if (publicUrl?.startsWith('https://')) headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  return Object.freeze(headers);
}

/** `securityHeaderValues` as an onRequest hook. */
export function securityHeaders(publicUrl: string | null): onRequestHookHandler {
  const headers = securityHeaderValues(publicUrl);
  return (_request, reply, done) => {
    void reply.headers(headers);
    done();
  };
}
