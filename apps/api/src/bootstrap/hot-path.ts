import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';
import { EXCHANGE_ROUTE } from '../tokens/exchange-route';
import { TOKEN_ROUTE } from '../tokens/token-route';
import { type DirectRoute, serveDirect, takesDirect } from './direct-route';
import { applySharedHooks, sharedHeaderValues, type SharedHookOptions } from './shared-hooks';

/** The routes served outside Nest (docs/decisions/0007, 0063): the two token endpoints' POSTs. */
const HOT_ROUTES = [TOKEN_ROUTE, EXCHANGE_ROUTE];
const isHot = (req: IncomingMessage) =>
  HOT_ROUTES.some(
    (route) => req.method === route.method && (req.url === route.url || req.url?.startsWith(`${route.url}?`) === true),
  );

/**
 * A second, bare Fastify instance for the token endpoints, on the same port: the HTTP server
 * hands `POST /v1/intercom/token` and `POST /v1/intercom/token/exchange` to it and everything
 * else to Nest's instance. Nest's adapter
 * puts half a dozen hooks and its middleware runner on every request of its own instance; with
 * them the route topped out near a third of a bare Fastify route, without them it reaches the
 * target. The instance shares the logger, body limit, trust of proxies, request ids,
 * `applySharedHooks` and the JSON body parser with Nest's; errors go through the same `sendError`.
 * The token route's plain requests skip this instance too (`useDirect`, decision 0064): they are
 * answered on node:http with the same headers, parser, route code and error answers.
 */
export function createHotPath(
  logger: Logger,
  options: Pick<FastifyServerOptions, 'trustProxy'> & {
    bodyLimit: number;
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => string;
  },
  shared: SharedHookOptions,
) {
  const hot: FastifyInstance = Fastify({
    ...options,
    loggerInstance: logger.child({}, { level: 'warn' }),
    childLoggerFactory: (parent, bindings, childOptions) =>
      new LazyRequestLogger(parent as Logger, bindings, childOptions) as unknown as FastifyBaseLogger,
  }) as unknown as FastifyInstance;
  applySharedHooks(hot, shared);
  let direct: DirectRoute | undefined;
  // Once the instance closes, Fastify answers its routes with a 503 that closes the connection
  // (load shedding during a drain); the direct path then leaves every request to it.
  hot.addHook('preClose', (done) => {
    direct = undefined;
    done();
  });
  const directContext = { genReqId: options.genReqId, headers: sharedHeaderValues(shared) };
  /** A request for one of the hot routes: the direct path when it takes it, else the hot instance. */
  const routeHot: RequestListener = (req, res) =>
    direct !== undefined && takesDirect(req, direct, options.bodyLimit)
      ? serveDirect(req, res, direct, directContext)
      : hot.routing(req, res);
  /** For the Nest adapter's `serverFactory`: one server, two routers. */
  const serverFactory = (nestHandler: RequestListener): Server =>
    createServer((req, res) => (isHot(req) ? routeHot(req, res) : nestHandler(req, res)));
  /** Answers the plain requests for `route.url` on node:http directly (bootstrap/direct-route.ts). */
  const useDirect = (route: DirectRoute) => {
    direct = route;
  };
  return { hot, serverFactory, routeHot, useDirect };
}

type LogCall = (...args: unknown[]) => void;

/**
 * Fastify gives every request a child logger bound to its request id; pino's `child()` builds
 * the bindings' JSON each time, which was 2% of a token request in the profile (decision 0058).
 * The hot instance writes warnings and errors only, so this one makes the child when a line is
 * written at a level that is on, and that line carries the request id as before.
 */
export class LazyRequestLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  /** Whether anything was bound yet: for the tests. */
  get materialized(): boolean {
    return this.made !== undefined;
  }

  isLevelEnabled(level: Level): boolean {
    const values = this.parent.levels.values;
    return (values[level] ?? 0) >= (values[this.level] ?? Infinity);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.logger().child(bindings, options);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  private write(level: Level, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    const logger = this.logger();
    (logger[level] as LogCall).apply(logger, args);
  }

  private logger(): Logger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }
}
