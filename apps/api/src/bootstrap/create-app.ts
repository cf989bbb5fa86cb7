import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteOptions } from 'fastify';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { createHotPath } from './hot-path';
import { applySharedHooks } from './shared-hooks';
import { HttpErrorFilter } from '../common/http-error.filter';
import { jsonBodyParser, NON_JSON_TYPES, refuseNonJsonBody, useJsonOnly } from '../common/json-body';
import { refuseMalformedText } from '../common/text-input';
import { createValidationPipe } from '../common/validation';
import { BodylessRouteInterceptor } from '../common/bodyless-routes';
import { AppConfig } from '../config/config';
import { fastifyTrustProxy } from '../config/trust-proxy';
import { PinoNestLogger } from '../logging/logger';
import { ExchangeRequestDto, TokenResponseDto } from '../tokens/dto/token.dto';
import { EXCHANGE_ROUTE, EXCHANGE_ROUTE_OPENAPI, ExchangeRoute } from '../tokens/exchange-route';
import { TOKEN_REQUEST_SCHEMA } from '../tokens/token-request';
import { TOKEN_ROUTE, TOKEN_ROUTE_OPENAPI, TokenRoute } from '../tokens/token-route';

// Admin bodies are small; a larger limit only helps someone trying to exhaust memory.
const BODY_LIMIT_BYTES = 64 * 1024;

export interface RegisteredRoute {
  method: string;
  url: string;
}

const ROUTES = new WeakMap<NestFastifyApplication, RegisteredRoute[]>();

/** Every route the app registered, as Fastify saw it; the isolation test walks these. */
export function registeredRoutes(app: NestFastifyApplication): RegisteredRoute[] {
  return ROUTES.get(app) ?? [];
}

export async function createApp(
  config: AppConfig,
  dataSource: DataSource,
  logger: Logger,
): Promise<NestFastifyApplication> {
  const shared = {
    trustProxy: fastifyTrustProxy(config.trustProxy),
    bodyLimit: BODY_LIMIT_BYTES,
    // A caller's request id is kept only when it is short and plain, so it can't inject into logs.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
  };
  const { hot, serverFactory, routeHot, useDirect } = createHotPath(logger, shared, { publicUrl: config.publicUrl });
  const adapter = new FastifyAdapter({ ...shared, loggerInstance: logger, serverFactory });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, dataSource), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, jsonBodyParser);
  app.useBodyParser(NON_JSON_TYPES, {}, refuseNonJsonBody);
  useJsonOnly(hot);
  refuseMalformedText(fastify);
  const routes: RegisteredRoute[] = [];
  const recordRoute = (route: RouteOptions) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    // The public token API is the hot path: its traffic is counted (token_usage), not logged
    // line by line. Warnings and errors still are.
    if (route.url.startsWith('/v1/')) route.logLevel = 'warn';
  };
  fastify.addHook('onRoute', recordRoute);
  hot.addHook('onRoute', recordRoute);
  ROUTES.set(app, routes);
  applySharedHooks(fastify, { publicUrl: config.publicUrl });
  await app.register(fastifyCookie);
  const tokenRoute = app.get(TokenRoute);
  tokenRoute.register(hot, routeHot);
  useDirect(tokenRoute);
  app.get(ExchangeRoute).register(hot);
  await hot.ready();
  fastify.addHook('onClose', async () => {
    await hot.close();
  });
  const hasWebApp = await serveWebApp(app, config.webDistDir);
  app.useGlobalFilters(new HttpErrorFilter(hasWebApp));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new BodylessRouteInterceptor());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Messenger Vault API')
      .setDescription(
        'Admin API (/api, camelCase, session cookie) and the public token API (/v1, snake_case, API key). ' +
          'Bodies are JSON only (a form body is 415). A field the endpoint does not take, or named like a ' +
          'JavaScript prototype member (`__proto__`, `constructor`, `toString`, ...), is a 400 naming it. ' +
          'A POST, PUT, PATCH or DELETE outside /v1 that carries the session cookie must come from the ' +
          "app's own origin (Origin, else Referer), however the path is spelled, or it is a 403 `csrf_rejected`. " +
          'Ids are UUIDs in any case, used in lower case; anything else in a path is a 404.',
      )
      .setVersion('1')
      .addCookieAuth('mv_session')
      .addBearerAuth()
      .build(),
    { extraModels: [TokenResponseDto, ExchangeRequestDto] },
  );
  document.components!.schemas!.TokenRequestDto = TOKEN_REQUEST_SCHEMA as never;
  document.paths[TOKEN_ROUTE.url] = TOKEN_ROUTE_OPENAPI as (typeof document.paths)[string];
  // The preflight (OPTIONS) is a Nest route of the same path, documented by its decorators.
  document.paths[EXCHANGE_ROUTE.url] = {
    ...document.paths[EXCHANGE_ROUTE.url],
    ...(EXCHANGE_ROUTE_OPENAPI as (typeof document.paths)[string]),
  };
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** The built React app at /; unknown GET paths outside the API fall back to index.html (see HttpErrorFilter). */
async function serveWebApp(app: NestFastifyApplication, dir: string): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // The web build writes .br and .gz beside each file; the variant the browser accepts is sent
    // with Content-Encoding and `Vary: Accept-Encoding`, the plain file otherwise.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => void reply.header('Cache-Control', webCacheControl(path)),
  });
  return true;
}

// Vite names everything under assets/ by its content hash, so a changed file is a new URL and
// the old one can be cached for good. index.html (also the SPA fallback) names the current
// hashes, so it is revalidated on every load.
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[\w-]{8,}(?:\.\w+)+$/;
function webCacheControl(path: string): string {
  return HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}
