import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../common/http-error.filter';
import { Metrics } from '../core/metrics';
import { allowOrigin } from './exchange-cors';
import { ExchangeService } from './exchange.service';
import { TOKEN_RESPONSE_SCHEMA, toWire } from './token-route';

/** Declared once: registered here, routed to by bootstrap/hot-path.ts, documented by create-app.ts. */
export const EXCHANGE_ROUTE = { method: 'POST', url: '/v1/intercom/token/exchange' } as const;

/**
 * `POST /v1/intercom/token/exchange` on the hot path's Fastify instance, like the token route
 * and for the same reason (decisions 0007, 0063): Nest's router context, interceptors and the
 * cookie plugin's onSend were a quarter of an exchange's CPU. Every check is the service's, in
 * its order; errors go through the same `sendError`; the CORS preflight stays a Nest route
 * (token-api.controller.ts).
 */
@Injectable()
export class ExchangeRoute {
  constructor(
    private readonly exchange: ExchangeService,
    private readonly metrics: Metrics,
  ) {}

  register(fastify: FastifyInstance): void {
    fastify.route({
      ...EXCHANGE_ROUTE,
      schema: { response: { 200: TOKEN_RESPONSE_SCHEMA } },
      errorHandler: (error, request, reply) => sendError(error, request, reply),
      onResponse: (request, reply, done) => {
        this.metrics.tokenAnswered('exchange', request.body, reply.statusCode, reply.elapsedTime / 1000);
        done();
      },
      handler: (request, reply) => this.handle(request, reply),
    });
  }

  private async handle(request: FastifyRequest, reply: FastifyReply) {
    const issued = await this.exchange.exchange({
      ip: request.ip,
      authorization: request.headers.authorization,
      origin: request.headers.origin,
      body: request.body,
      allowOrigin: (allowed) => allowOrigin(reply, allowed),
    });
    return reply.send(toWire(issued));
  }
}

/** The OpenAPI description of the route above, merged into the generated document. */
export const EXCHANGE_ROUTE_OPENAPI = {
  post: {
    operationId: 'exchangeToken',
    tags: ['tokens (public)'],
    summary:
      "From a browser or app: exchange the user's ID token from the tenant's identity provider for a Messenger token.",
    security: [{ bearer: [] }],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ExchangeRequestDto' } } },
    },
    responses: {
      '200': {
        description:
          'As POST /v1/intercom/token: JWT mode {token, expires_at, app_id}, HMAC mode {user_hash, app_id}, and session_duration when the tenant set one. With an Origin the tenant allowed, `Access-Control-Allow-Origin` names it (on refusals too, so the page can read them).',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenResponseDto' } } },
      },
      '400': {
        description:
          "The body is not {tenant_id, platform}, or carries custom_attributes (they come from the ID token's claims); `fields` says which. Also an allow-listed claim of the wrong type.",
      },
      '401': { description: 'The ID token is missing, expired, or from another issuer, audience or key.' },
      '403': { description: 'The Origin is not one the tenant allowed.' },
      '409': {
        description: 'The tenant has not set up token exchange, has no APP_ID, or no active key for the platform.',
      },
      '413': { description: 'The body is larger than the limit.' },
      '429': {
        description:
          "Too many failed exchanges from this client IP (EXCHANGE_FAILURES_PER_IP_PER_MINUTE), or the tenant's budget of verified exchanges is spent; see Retry-After.",
      },
      '503': {
        description:
          '`database_unavailable` or `vault_key_unavailable`: as POST /v1/intercom/token, for a tenant or signing key not verified within TOKEN_STALE_SECONDS; see Retry-After.',
      },
    },
  },
};
