import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Logger } from 'pino';
import { TOKEN_ROUTE } from '../tokens/token-route';
import { applySharedHooks, type SharedHookOptions } from './shared-hooks';

/** The one route served outside Nest (docs/decisions/0007). */
const isHot = (req: IncomingMessage) =>
  req.method === TOKEN_ROUTE.method &&
  (req.url === TOKEN_ROUTE.url || req.url?.startsWith(`${TOKEN_ROUTE.url}?`) === true);

/**
 * A second, bare Fastify instance for the token endpoint, on the same port: the HTTP server
 * hands `POST /v1/intercom/token` to it and everything else to Nest's instance. Nest's adapter
 * puts half a dozen hooks and its middleware runner on every request of its own instance; with
 * them the route topped out near a third of a bare Fastify route, without them it reaches the
 * target. The instance shares the logger, body limit, trust of proxies, request ids,
 * `applySharedHooks` and the JSON body parser with Nest's; errors go through the same `sendError`.
 */
export function createHotPath(
  logger: Logger,
  options: Pick<FastifyServerOptions, 'bodyLimit' | 'trustProxy' | 'genReqId'>,
  shared: SharedHookOptions,
) {
  const hot: FastifyInstance = Fastify({
    ...options,
    loggerInstance: logger.child({}, { level: 'warn' }),
  }) as unknown as FastifyInstance;
  applySharedHooks(hot, shared);
  /** For the Nest adapter's `serverFactory`: one server, two routers. */
  const serverFactory = (nestHandler: RequestListener): Server =>
    createServer((req, res) => (isHot(req) ? hot.routing(req, res) : nestHandler(req, res)));
  return { hot, serverFactory };
}
