import { UnsupportedMediaTypeException } from '@nestjs/common';
import { jsonShapeProblem } from '@messenger-vault/intercom';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validationError } from './errors';
import { textProblems } from './text-input';

/**
 * Every documented body is a flat object of a few fields. JSON within the body limit can still
 * nest 30,000 levels deep (class-transformer then overflows the stack: a 500) or hold 30,000
 * array items (validating each costs hundreds of milliseconds of event-loop time). Both are
 * refused before JSON.parse, by one linear pass over the bytes (`jsonShapeProblem`).
 */
export const MAX_JSON_DEPTH = 16;
/** Values in the whole body: array items, object members and containers, counted by separators. */
export const MAX_JSON_VALUES = 500;

/** Why the body is refused, or null. */
export function bodyShapeProblem(body: Buffer): string | null {
  switch (jsonShapeProblem(body, { maxDepth: MAX_JSON_DEPTH, maxValues: MAX_JSON_VALUES })) {
    case 'too_deep':
      return `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels. Send the documented fields only.`;
    case 'too_many_values':
      return `The JSON body holds more than ${MAX_JSON_VALUES} values. Send the documented fields only.`;
    case null:
      return null;
  }
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
    const problem = bodyShapeProblem(bytes);
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
