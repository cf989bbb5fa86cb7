import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorAnswer } from '../common/http-error.filter';
import { parseJsonBytes } from '../common/json-body';

/** What a direct route sees of a request: its id, headers and parsed JSON body. */
export interface DirectRequest {
  id: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A route answered on node:http directly, without Fastify's per-request objects, hooks, body
 * parser pipeline and reply pipeline (docs/decisions/0064): `POST /v1/intercom/token`. It stays
 * registered on the hot Fastify instance too, which answers every request the direct path does
 * not take (see `takesDirect`), with the same code.
 */
export interface DirectRoute {
  readonly url: string;
  /** The success body, at once or later; a throw or rejection is answered as `sendError` answers it. */
  answer(request: DirectRequest): object | Promise<object>;
  /** Called once per answer, as the Fastify route's onResponse hook is. */
  answered(request: DirectRequest, status: number, seconds: number): void;
}

export interface DirectContext {
  genReqId: (req: IncomingMessage) => string;
  /** The shared headers besides the request id (bootstrap/shared-hooks.ts). */
  headers: Readonly<Record<string, string>>;
}

const NONE: Readonly<Record<string, string>> = Object.freeze({});
const CLOSE: Readonly<Record<string, string>> = Object.freeze({ connection: 'close' });

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);

/**
 * Only the plain case goes direct: a POST to the exact path with a JSON body of a declared
 * length within the limit, neither chunked nor encoded. Anything else (a query string, another
 * or a missing content type, an empty, chunked, compressed or oversized body) goes to Fastify,
 * which answers it as before, 415, 413 and 400 included: its body has not been read.
 */
export function takesDirect(req: IncomingMessage, route: DirectRoute, bodyLimit: number): boolean {
  if (req.method !== 'POST' || req.url !== route.url) return false;
  const { headers } = req;
  const type = headers['content-type'];
  if (type === undefined || !JSON_TYPES.has(type.toLowerCase())) return false;
  if (headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined) return false;
  const length = headers['content-length'];
  if (length === undefined || !/^[1-9]\d{0,8}$/.test(length)) return false;
  return Number(length) <= bodyLimit;
}

/**
 * Reads the body, parses it with the JSON body parser every route uses, asks the route, and
 * writes the answer with the shared headers: the success body as JSON, an error exactly as
 * `sendError` would (the same body, status and Retry-After).
 */
export function serveDirect(req: IncomingMessage, res: ServerResponse, route: DirectRoute, ctx: DirectContext): void {
  const started = performance.now();
  const request: DirectRequest = { id: ctx.genReqId(req), headers: req.headers, body: undefined };
  let chunks: Buffer | Buffer[] | undefined;
  req.on('data', (chunk: Buffer) => {
    if (chunks === undefined) chunks = chunk;
    else if (Array.isArray(chunks)) chunks.push(chunk);
    else chunks = [chunks, chunk];
  });
  // A client gone before its body ended gets no answer, as on Fastify's path.
  req.once('error', () => req.removeAllListeners('end'));
  req.once('end', () => {
    const bytes = chunks === undefined ? Buffer.alloc(0) : Array.isArray(chunks) ? Buffer.concat(chunks) : chunks;
    try {
      request.body = parseJsonBytes(bytes);
    } catch (err) {
      // As Fastify's parser does on a refused body: the connection closes after the answer.
      return fail(err, CLOSE);
    }
    let answer: object | Promise<object>;
    try {
      answer = route.answer(request);
    } catch (err) {
      return fail(err);
    }
    if (answer instanceof Promise) answer.then(succeed, (err: unknown) => fail(err));
    else succeed(answer);
  });

  function succeed(body: object): void {
    const json = JSON.stringify(body);
    write(200, json, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(json)),
    });
  }

  function fail(err: unknown, before: Readonly<Record<string, string>> = NONE): void {
    const { body, retryAfterSeconds } = errorAnswer(err, { id: request.id, method: 'POST', url: route.url });
    const json = JSON.stringify(body);
    const own: Record<string, string> = { ...before };
    if (retryAfterSeconds !== undefined) own['retry-after'] = String(retryAfterSeconds);
    own['content-type'] = 'application/json; charset=utf-8';
    own['content-length'] = String(Buffer.byteLength(json));
    write(body.statusCode, json, own);
  }

  function write(status: number, json: string, own: Record<string, string>): void {
    res.writeHead(status, { 'x-request-id': request.id, ...ctx.headers, ...own });
    res.end(json);
    route.answered(request, status, (performance.now() - started) / 1000);
  }
}
