import { validationError } from '../common/errors';
import { FieldProblems } from '../common/field-problems';

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

/** Fastify's content-type parser callback shape, for `addContentTypeParser` and Nest's `useBodyParser`. */
export function jsonBodyParser(
  _request: unknown,
  body: string | Buffer,
  done: (err: Error | null, value?: unknown) => void,
) {
  try {
    done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')));
  } catch (err) {
    done(err as Error);
  }
}

/**
 * Form bodies are refused outright: the API speaks JSON only, a form is what a cross-site page
 * can post without asking, and class-transformer would pass a `toString=` field unnoticed.
 */
export function formBodyRefused(_request: unknown, _body: unknown, done: (err: Error | null, value?: unknown) => void) {
  done(
    Object.assign(new Error('Unsupported Content-Type. Send JSON with Content-Type: application/json.'), {
      statusCode: 415,
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    }),
  );
}
