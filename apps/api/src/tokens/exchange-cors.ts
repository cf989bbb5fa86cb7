import type { FastifyReply } from 'fastify';

/**
 * CORS for the exchange endpoint, the only route a browser calls from another origin. The
 * preflight carries no body, so no tenant: it allows any origin, and the POST itself answers
 * with the origin only once the tenant allowed it (`ExchangeService#exchange`).
 */
export function allowOrigin(reply: FastifyReply, origin: string): void {
  void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

export function allowPreflight(reply: FastifyReply, origin: string): void {
  allowOrigin(reply, origin);
  void reply
    .header('access-control-allow-methods', 'POST')
    .header('access-control-allow-headers', 'authorization, content-type')
    .header('access-control-max-age', '600');
}
