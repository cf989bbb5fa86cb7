import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validationError } from './errors';
import { textProblems } from './text-input';

/**
 * Every documented body is a flat object of a few fields. JSON within the body limit can still
 * nest 30,000 levels deep (class-transformer then overflows the stack: a 500) or hold 30,000
 * array items (validating each costs hundreds of milliseconds of event-loop time). Both are
 * refused before JSON.parse, by one linear pass over the bytes.
 */
export const MAX_JSON_DEPTH = 16;
/** Values in the whole body: array items, object members and containers, counted by separators. */
export const MAX_JSON_VALUES = 500;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * Why the body is refused, or null. Works on raw bytes: UTF-8 never uses bytes below 0x80
 * inside a multi-byte character, so the structural characters are found without decoding.
 */
export function jsonShapeProblem(body: Buffer): string | null {
  let depth = 0;
  let values = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (byte === QUOTE) {
      // Skip the string; an escape skips the byte after the backslash.
      for (i++; i < body.length && body[i] !== QUOTE; i++) if (body[i] === BACKSLASH) i++;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > MAX_JSON_DEPTH)
        return `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels. Send the documented fields only.`;
      values++;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    } else if (byte === COMMA) {
      values++;
    }
    if (values > MAX_JSON_VALUES)
      return `The JSON body holds more than ${MAX_JSON_VALUES} values. Send the documented fields only.`;
  }
  return null;
}

type Done = (err: Error | null, body?: unknown) => void;

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), after the shape check, and
 * followed by the text check (`text-input.ts`).
 */
export function shapeCheckedJsonParser(fastify: FastifyInstance) {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parse = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  return (request: FastifyRequest, body: Buffer | string, done: Done): void => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const problem = jsonShapeProblem(bytes);
    if (problem) return done(validationError({ body: [problem] }));
    parse(request, bytes as unknown as string, (err: Error | null, parsed?: unknown) => {
      if (err) return done(err);
      const fields = textProblems(parsed);
      done(fields ? validationError(fields) : null, parsed);
    });
  };
}

/**
 * The only body this API reads is JSON. Nest would also parse forms and Fastify plain text;
 * neither goes through the checks above (6,000 form fields cost 300 ms of validation), and both
 * are what a cross-site HTML form can send. Both are a 415, like any type without a parser.
 */
export const NON_JSON_TYPES = ['application/x-www-form-urlencoded', 'text/plain'];

export function refuseNonJsonBody(request: FastifyRequest, _body: unknown, done: Done): void {
  const type = String(request.headers['content-type'] ?? '').slice(0, 100);
  done(
    new UnsupportedMediaTypeException(
      `This API reads JSON bodies only (got ${type}). Send the body with Content-Type: application/json.`,
    ),
  );
}

/** For the bare Fastify instance of the token hot path; Nest's instance uses `useBodyParser`. */
export function useJsonOnly(fastify: FastifyInstance): void {
  const parser = shapeCheckedJsonParser(fastify);
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, parser);
  fastify.addContentTypeParser('text/plain', refuseNonJsonBody);
}
