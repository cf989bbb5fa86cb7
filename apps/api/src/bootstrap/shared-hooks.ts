import type { FastifyInstance } from 'fastify';
import { securityHeaderValues, securityHeaders } from './security-headers';

export interface SharedHookOptions {
  publicUrl: string | null;
}

/**
 * What every response gets, whichever Fastify instance answers it: Nest's, or the token hot
 * path's (bootstrap/hot-path.ts). Both instances call this and nothing else adds per-request
 * headers, so a header added here cannot skip the hot route (test/shared-hooks.test.ts checks
 * every header this adds on both). Callback hooks, not async ones: they run on every token.
 * The token route's direct path (bootstrap/direct-route.ts) writes `sharedHeaderValues` and the
 * request id itself, and the same test checks its answers.
 */
export function applySharedHooks(instance: FastifyInstance, options: SharedHookOptions): void {
  const security = securityHeaders(options.publicUrl);
  // One hook, not two: each hook is a step of Fastify's hook runner on every token (decision 0058).
  instance.addHook('onRequest', function sharedHeaders(request, reply, done) {
    void reply.header('x-request-id', request.id);
    security.call(this, request, reply, done);
  });
}

/** The headers `applySharedHooks` adds besides the request id, for an answer written without Fastify. */
export function sharedHeaderValues(options: SharedHookOptions): Readonly<Record<string, string>> {
  return securityHeaderValues(options.publicUrl);
}
