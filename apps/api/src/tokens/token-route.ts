import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
// eslint-disable-next-line no-restricted-imports -- only to the warm-up's own loopback server below, never to an address from config or a caller
import { createServer, request, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DirectRequest, DirectRoute } from '../bootstrap/direct-route';
import { sendError } from '../common/http-error.filter';
import { Metrics } from '../core/metrics';
import { untracedLocalPorts } from '../tracing';
import { generateApiKey } from './api-key-format';
import { ApiKeysService } from './api-keys.service';
import { RateLimiterService } from './rate-limiter.service';
import { IssuedToken, TokenIssuerService } from './token-issuer.service';

/** The hot route, declared once: registered here, routed to by bootstrap/hot-path.ts, documented by create-app.ts. */
export const TOKEN_ROUTE = { method: 'POST', url: '/v1/intercom/token' } as const;

/** The warm-up never holds a start longer than this (a hung database). */
const WARM_UP_TIMEOUT_MS = 5_000;

export interface TokenWire {
  token?: string;
  expires_at?: string;
  user_hash?: string;
  app_id: string;
  session_duration?: number;
}

export function toWire(issued: IssuedToken): TokenWire {
  const wire: TokenWire =
    issued.mode === 'jwt'
      ? { token: issued.token, expires_at: issued.expiresAt, app_id: issued.appId }
      : { user_hash: issued.userHash, app_id: issued.appId };
  if (issued.sessionDurationMs !== undefined) wire.session_duration = issued.sessionDurationMs;
  return wire;
}

/**
 * `POST /v1/intercom/token`, the hot path. Its plain requests (a JSON body of a declared length,
 * no query string) are answered on node:http directly (bootstrap/direct-route.ts, decision
 * 0064); every other one by the same code registered on the hot Fastify instance, which answers
 * what Fastify must (415, 413, chunked bodies). Nest's per-request machinery (guards, pipes,
 * interceptors, the router context) was off the route already (docs/decisions/0007).
 * Authentication, validation, the rate limit and counting are all here on both paths; errors are
 * answered as `sendError` answers them.
 */
@Injectable()
export class TokenRoute implements DirectRoute {
  readonly url = TOKEN_ROUTE.url;
  /** The hot routes' dispatcher, for the warm-up's own server. */
  private dispatch?: RequestListener;
  /** The request id of the warm-up request while it runs: that one answer is not counted. */
  private warmUpId: string | null = null;

  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly limiter: RateLimiterService,
    private readonly issuer: TokenIssuerService,
    private readonly metrics: Metrics,
  ) {}

  /** On the hot Fastify instance; `dispatch` is the server's own routing of the hot routes. */
  register(fastify: FastifyInstance, dispatch: RequestListener): void {
    this.dispatch = dispatch;
    fastify.route({
      ...TOKEN_ROUTE,
      // A compiled serializer for the success body: cheaper than JSON.stringify on every token.
      schema: { response: { 200: TOKEN_RESPONSE_SCHEMA } },
      errorHandler: (error, request, reply) => sendError(error, request, reply),
      // A route hook, not an instance one: no other request pays for it. Errors answered by
      // the body parser (413, 415, 400) pass here too.
      onResponse: (request, reply, done) => {
        this.answered(request, reply.statusCode, reply.elapsedTime / 1000);
        done();
      },
      handler: (request, reply) => {
        const answer = this.answer(request);
        if (answer instanceof Promise) return answer.then((wire) => reply.send(wire));
        reply.send(answer);
        return undefined;
      },
    });
  }

  /**
   * Run before the server listens (main.ts), so that the first real token after a start does not
   * pay for what is done once per process: the route's code compiled, the connections' first
   * queries on the lookups' tables, the signer's first use (docs/decisions/0058). One request
   * through the real route with a well-formed key that exists nowhere (a 401, not counted in
   * the metrics, no usage, no rate-limit budget), and the tenant lookups for an id that exists
   * nowhere. Nothing real is cached and no check is skipped; a failure (the database away) only
   * leaves the first request cold, it never stops the start.
   */
  async warm(): Promise<void> {
    const dispatch = this.dispatch;
    if (!dispatch) return;
    const id = `warm-up-${randomUUID()}`;
    this.warmUpId = id;
    // Through a socket of its own, not inject(): node's HTTP parser and response writer are part
    // of what a first request pays for.
    const probe = createServer(dispatch);
    try {
      await new Promise<void>((resolve, reject) => probe.listen(0, '127.0.0.1', resolve).once('error', reject));
      const { port } = probe.address() as AddressInfo;
      untracedLocalPorts.add(port);
      const payload = JSON.stringify({
        user_id: 'warm-up',
        email: 'warm-up@example.com',
        name: 'Warm up',
        platform: 'web',
      });
      await Promise.allSettled([
        new Promise<void>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              ...TOKEN_ROUTE,
              path: TOKEN_ROUTE.url,
              headers: {
                authorization: `Bearer ${generateApiKey().key}`,
                'content-type': 'application/json',
                'content-length': String(Buffer.byteLength(payload)),
                'x-request-id': id,
              },
              timeout: WARM_UP_TIMEOUT_MS,
            },
            (res) => res.resume().once('end', resolve).once('error', reject),
          );
          req.once('error', reject).once('timeout', () => req.destroy(new Error('warm-up timed out')));
          req.end(payload);
        }),
        this.issuer.warm(randomUUID()),
      ]);
    } finally {
      this.warmUpId = null;
      const address = probe.address();
      if (address && typeof address === 'object') untracedLocalPorts.delete(address.port);
      probe.closeAllConnections();
      await new Promise((resolve) => probe.close(resolve));
    }
  }

  /**
   * In the steady state everything the request needs is fresh in memory and the answer is
   * returned without a promise or a microtask (decision 0058); whatever is not goes the
   * asynchronous way, through the same checks. A throw is answered like a rejection.
   */
  answer(request: Pick<DirectRequest, 'headers' | 'body'>): TokenWire | Promise<TokenWire> {
    const key = this.apiKeys.authenticateFromMemory(request.headers.authorization);
    if (key === undefined) return this.answerLoading(request);
    this.limiter.take(key.bucket, 'This API key');
    const issued = this.issuer.issueFromBodyFromMemory(key.tenantId, request.body);
    if (issued === undefined) return this.issuer.issueFromBody(key.tenantId, request.body).then(toWire);
    return toWire(issued);
  }

  answered(request: Pick<DirectRequest, 'id' | 'body'>, status: number, seconds: number): void {
    if (request.id !== this.warmUpId) this.metrics.tokenAnswered('token', request.body, status, seconds);
  }

  private async answerLoading(request: Pick<DirectRequest, 'headers' | 'body'>): Promise<TokenWire> {
    const key = await this.apiKeys.authenticate(request.headers.authorization);
    this.limiter.take(key.bucket, 'This API key');
    return toWire(await this.issuer.issueFromBody(key.tenantId, request.body));
  }
}

/** The success body's schema: Fastify compiles a serializer from it (the exchange route shares it). */
export const TOKEN_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    token: { type: 'string' },
    expires_at: { type: 'string' },
    user_hash: { type: 'string' },
    app_id: { type: 'string' },
    session_duration: { type: 'integer' },
  },
  required: ['app_id'],
  additionalProperties: false,
};

/** The OpenAPI description of the route above, merged into the generated document. */
export const TOKEN_ROUTE_OPENAPI = {
  post: {
    operationId: 'issueToken',
    tags: ['tokens (public)'],
    summary: "Server to server: a Messenger token for one of your signed-in users, authorised by the tenant's API key.",
    security: [{ bearer: [] }],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenRequestDto' } } },
    },
    responses: {
      '200': {
        description:
          "JWT mode: {token, expires_at, app_id}. HMAC mode: {user_hash, app_id}. Both add session_duration (milliseconds) when the tenant set a session duration policy: pass it to the Messenger's boot settings.",
        content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenResponseDto' } } },
      },
      '400': {
        description:
          'Not JSON, or a field is missing or invalid; `fields` says which (`custom_attributes.<name>` for an attribute). Also a user_id that looks like an email unless the tenant allowed it, and custom_attributes in legacy HMAC mode.',
      },
      '401': { description: 'Missing, wrong or revoked API key.' },
      '409': { description: 'The tenant has no APP_ID, or no active key for the platform.' },
      '413': { description: 'The body is larger than the limit.' },
      '429': { description: 'Past the per-key limit per minute; see Retry-After.' },
      '503': {
        description:
          '`database_unavailable`: the database is unreachable and this API key, its tenant or its signing key was not verified within TOKEN_STALE_SECONDS; see Retry-After. Keys verified recently keep getting tokens. `vault_key_unavailable`: the HSM or KMS holding the master key does not answer (or the keyring lacks it), and the signing key was not verified within TOKEN_STALE_SECONDS; see Retry-After.',
      },
    },
  },
};
