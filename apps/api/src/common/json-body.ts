import { jsonShapeProblem } from '@messenger-vault/intercom';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validationError } from './errors';
import { FieldProblems } from './field-problems';
import { textProblems } from './text-input';

/**
 * The one JSON body parser of both Fastify instances (Nest's and the token hot path's). In one
 * order, each step linear in the body the body limit bounds:
 * 1. the shape (`bodyShapeProblem`), on the bytes, before JSON.parse;
 * 2. the parse, refusing prototype-named keys at any depth with a 400 naming them;
 * 3. the text (`text-input.ts`): NUL characters and lone surrogates are a 400 naming the field.
 */
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

/**
 * Names that reach an object's prototype when a parsed body is copied or assigned onto another
 * object (class-transformer does exactly that), or that shadow what every object inherits
 * (class-transformer skips `toString`, so the whitelist never saw it). No field of this API has
 * such a name.
 */
const PROTOTYPE_NAMES = new Set(['prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

// Shaped like Fastify's own parser errors, so the error filter answers them as it always has.
const badBody = (code: 'FST_ERR_CTP_EMPTY_JSON_BODY' | 'FST_ERR_CTP_INVALID_JSON_BODY', message: string) =>
  Object.assign(new Error(message), { statusCode: 400, code });

/**
 * The JSON body parser of both Fastify instances. Fastify's own refuses `__proto__` with "not
 * valid JSON", which names nothing; this one answers 400 naming the field (and its path), at any
 * depth, for every route, whether or not the route reads a body. One pass over the parsed value,
 * no recursion: cost stays linear in the body, which the body limit bounds.
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0 || text.trim() === '')
    throw badBody(
      'FST_ERR_CTP_EMPTY_JSON_BODY',
      'The request body is empty. Send a JSON object with Content-Type: application/json.',
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badBody(
      'FST_ERR_CTP_INVALID_JSON_BODY',
      'The request body is not valid JSON. Send a JSON object with Content-Type: application/json.',
    );
  }
  let problems: FieldProblems | undefined;
  // Only objects and arrays go on the stack, and a path is built only for them: an ordinary flat
  // body costs one look-up per key, so the hot path pays next to nothing for this.
  const stack: Array<{ node: object; path: string }> = [];
  if (typeof value === 'object' && value !== null) stack.push({ node: value, path: '' });
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item === 'object' && item !== null) stack.push({ node: item, path: `${path}[${i}]` });
      }
      continue;
    }
    for (const key in node) {
      if (PROTOTYPE_NAMES.has(key)) {
        const field = path ? `${path}.${key}` : key;
        (problems ??= new FieldProblems()).add(field, `${field} is not a field this endpoint accepts; remove it.`);
        continue;
      }
      const child: unknown = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) stack.push({ node: child, path: path ? `${path}.${key}` : key });
    }
  }
  if (problems) throw validationError(problems.toRecord());
  return value;
}

type Done = (err: Error | null, body?: unknown) => void;

/** The three steps above on a body's bytes: the parsed value, or the error that refuses it. */
export function parseJsonBytes(bytes: Buffer): unknown {
  const problem = bodyShapeProblem(bytes);
  if (problem) throw validationError({ body: [problem] });
  const parsed = parseJsonBody(bytes.toString('utf8'));
  const fields = textProblems(parsed);
  if (fields) throw validationError(fields);
  return parsed;
}

/** Fastify's content-type parser callback shape, for `addContentTypeParser` and Nest's `useBodyParser`. */
export function jsonBodyParser(_request: unknown, body: string | Buffer, done: Done): void {
  try {
    done(null, parseJsonBytes(typeof body === 'string' ? Buffer.from(body) : body));
  } catch (err) {
    done(err as Error);
  }
}

/**
 * The only body this API reads is JSON. Nest would also parse forms and Fastify plain text;
 * neither goes through the checks above (6,000 form fields cost 300 ms of validation), and both
 * are what a cross-site HTML form can send without asking. Both are a 415 that says what to send.
 */
export const NON_JSON_TYPES = ['application/x-www-form-urlencoded', 'text/plain'];

/**
 * The one exception: OpenID Connect back-channel logout is defined as a form POST from the identity
 * provider carrying one field, `logout_token` (a signed JWT; decision 0048). Only that route reads a
 * form, only that field, at most 16 KiB.
 */
export const FORM_BODY_ROUTES: ReadonlyMap<string, readonly string[]> = new Map([
  ['/api/auth/oidc/backchannel-logout', ['logout_token']],
]);
const MAX_FORM_BYTES = 16 * 1024;

export function refuseNonJsonBody(request: FastifyRequest, body: unknown, done: Done): void {
  const type = String(request.headers['content-type'] ?? '').slice(0, 100);
  const formFields = FORM_BODY_ROUTES.get(request.routeOptions?.url ?? '');
  if (formFields && /^application\/x-www-form-urlencoded\s*(;|$)/i.test(type) && Buffer.isBuffer(body)) {
    if (body.length > MAX_FORM_BYTES) return done(validationError({ body: ['The form body is over 16 KiB.'] }));
    const form = new URLSearchParams(body.toString('utf8'));
    const parsed: Record<string, string> = {};
    for (const field of formFields) {
      const value = form.get(field);
      if (value !== null) parsed[field] = value;
    }
    return done(null, parsed);
  }
  done(
    Object.assign(
      new Error(`This API reads JSON bodies only (got ${type}). Send the body with Content-Type: application/json.`),
      { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' },
    ),
  );
}

/** For the bare Fastify instance of the token hot path; Nest's instance uses `useBodyParser`. */
export function useJsonOnly(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser);
  fastify.addContentTypeParser(NON_JSON_TYPES, refuseNonJsonBody);
}
