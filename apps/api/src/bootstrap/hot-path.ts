import Fastify, { type FastifyInstance, type FastifyServerOptions, type onRequestHookHandler } from 'fastify';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Logger } from 'pino';

/** The one route served outside Nest (docs/decisions/0007). */
const HOT_PATH = '/v1/intercom/token';

const isHot = (req: IncomingMessage) =>
  req.method === 'POST' && (req.url === HOT_PATH || req.url?.startsWith(`${HOT_PATH}?`) === true);

/**
 * A second, bare Fastify instance for the token endpoint, on the same port: the HTTP server
 * hands `POST /v1/intercom/token` to it and everything else to Nest's instance. Nest's adapter
 * puts half a dozen hooks and its middleware runner on every request of its own instance; with
 * them the route topped out near a third of a bare Fastify route, without them it reaches the
 * target. The instance shares the logger, body limit, request ids, security headers and error answers.
 */
export function createHotPath(
  logger: Logger,
  options: Pick<FastifyServerOptions, 'bodyLimit' | 'trustProxy' | 'genReqId'>,
  headers: onRequestHookHandler,
) {
  const hot: FastifyInstance = Fastify({
    ...options,
    loggerInstance: logger.child({}, { level: 'warn' }),
  }) as unknown as FastifyInstance;
  hot.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  hot.addHook('onRequest', headers);
  /** For the Nest adapter's `serverFactory`: one server, two routers. */
  const serverFactory = (nestHandler: RequestListener): Server =>
    createServer((req, res) => (isHot(req) ? hot.routing(req, res) : nestHandler(req, res)));
  return { hot, serverFactory };
}
