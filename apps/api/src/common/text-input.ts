import type { FastifyInstance } from 'fastify';
import { validationError } from './errors';

/**
 * No field of this API holds a NUL character or a lone UTF-16 surrogate, yet JSON can carry
 * both (`"\u0000"`, `"\ud800"`). PostgreSQL refuses NUL in text (a 500 wherever a string reaches
 * an INSERT), and validator's isEmail throws a URIError on a lone surrogate (a 500 on sign-in).
 * Refused once at the edge, for every body, query and path parameter, naming the field.
 */
export function textProblems(value: unknown, field = 'body'): Record<string, string[]> | null {
  const fields: Record<string, string[]> = {};
  // Iterative: bodies are already capped in size and depth, but this must never recurse on input.
  const stack: [unknown, string][] = [[value, field]];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = stringProblem(v, at);
      if (problem) (fields[at] ??= []).push(problem);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${at}.${i}`]));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const name = at === 'body' ? key : `${at}.${key}`;
        const keyProblem = stringProblem(key, 'a field name');
        if (keyProblem) (fields[safeName(name)] ??= []).push(keyProblem);
        stack.push([item, safeName(name)]);
      }
    }
  }
  return Object.keys(fields).length ? fields : null;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one. Without
// the u flag the pattern sees UTF-16 code units; each alternative looks one unit around: linear.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

function stringProblem(text: string, field: string): string | null {
  if (text.includes('\u0000'))
    return `${safeName(field)} contains a NUL character (\\u0000), which no field accepts; remove it.`;
  if (LONE_SURROGATE.test(text))
    return `${safeName(field)} is not valid Unicode text (it holds a lone UTF-16 surrogate); send well-formed UTF-8.`;
  return null;
}

/**
 * A field name fit to quote back: without the characters it is being refused for. Called for
 * every key of every body, so an ordinary name (the only kind a token request has) is returned
 * as it is after two scans, without building three new strings.
 */
const safeName = (name: string) =>
  name.length <= 100 && !name.includes('\u0000') && !LONE_SURROGATE.test(name)
    ? name
    : name.replaceAll('\u0000', '\\u0000').replace(LONE_SURROGATES, '\uFFFD').slice(0, 100);

/**
 * No route takes more than a handful of query parameters; a flood of them (1,300 fit in a URL)
 * costs the validation pipe one error object each, 50 ms and more of event-loop time.
 */
export const MAX_QUERY_VALUES = 50;

/** Checks query and path parameters of every route; bodies are checked by the JSON parser. */
export function refuseMalformedText(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const count = Object.values(query).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 1), 0);
    if (count > MAX_QUERY_VALUES) {
      return done(
        validationError({
          query: [`The query string holds ${count} values; no endpoint takes more than ${MAX_QUERY_VALUES}.`],
        }),
      );
    }
    const fields = { ...textProblems(query, 'query'), ...textProblems(request.params ?? {}, 'path') };
    done(Object.keys(fields).length ? validationError(fields) : undefined);
  });
}
