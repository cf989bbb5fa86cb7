import fc from 'fast-check';

/**
 * Hostile requests, generated from the OpenAPI document: for one documented operation and one
 * caller, fast-check picks a path spelling, path parameters, a query and a body. The values are
 * the ones attackers and fuzzers reach for first: prototype-named keys, strings up to the body
 * limit (plain and shaped to make regexes backtrack), NUL, lone UTF-16 surrogates, invalid
 * UTF-8, wrong JSON types, deep nesting, huge arrays, non-JSON bodies and odd content types.
 */

export const BODY_LIMIT = 64 * 1024;

export interface Operation {
  method: string;
  /** OpenAPI template, `/api/tenants/{tenantId}`. */
  path: string;
  pathParams: { name: string; schema: Schema }[];
  queryParams: { name: string; schema: Schema }[];
  body: Schema | null;
}

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $ref?: string;
}

/** Which tenant a caller aims at: its own, the other tenant's, or an id that is no tenant. */
export type Target = 'own' | 'foreign' | 'none';

export interface HostileCase {
  target: Target;
  /** How the tenant id is written in the path. */
  idSpelling: 'canonical' | 'upper' | 'percent' | 'braced';
  pathSpelling: PathSpelling;
  params: Record<string, string>;
  query: string;
  /** Raw bytes, or undefined for no body at all. */
  body: Buffer | undefined;
  contentType: string | undefined;
  bodyKind: string;
  /** A session request from another site: the CSRF check must refuse it. */
  foreignOrigin: boolean;
  /** Extra or replaced headers: forged credentials, cookies, proxies, encodings. */
  headers: Record<string, string>;
}

const headerNoise: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 8 },
  fc.constantFrom<Record<string, string>>(
    { authorization: `Bearer ${'a'.repeat(8_000)}` },
    { authorization: 'Bearer mvk_' },
    { authorization: 'Bearer mvk_0000000000000000_x' },
    { authorization: 'Bearer mvk_%00%00' },
    { authorization: 'Basic YWRtaW46YWRtaW4=' },
    { authorization: 'Bearer' },
    { authorization: 'bearer  mvk_abc' },
    { cookie: `mv_session=${'a'.repeat(4_000)}` },
    { cookie: 'mv_session=%E0%A4%A' },
    { cookie: 'mv_session=' },
    { cookie: 'mv_session="\\"; mv_session=x' },
    { 'x-forwarded-for': '127.0.0.1, 10.0.0.1, ::1' },
    { 'x-forwarded-for': 'a'.repeat(4_000) },
    { 'x-forwarded-host': 'attacker.example' },
    { 'x-forwarded-proto': 'https' },
    { 'content-encoding': 'gzip' },
    { 'content-encoding': 'br, deflate' },
    { 'x-http-method-override': 'DELETE' },
    { accept: 'text/html' },
    { accept: 'application/xml;q=2, */*;q=0' },
    { 'accept-language': 'a'.repeat(4_000) },
    { referer: 'javascript:alert(1)' },
    { 'transfer-encoding': 'chunked' },
  ),
);

export type PathSpelling =
  | 'plain'
  | 'encoded-first-letter'
  | 'double-slash'
  | 'dot-segment'
  | 'upper-case-prefix'
  | 'trailing-slash'
  | 'encoded-slash';

export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
];

const repeat = (unit: string, bytes: number) => unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));

/** Strings up to (nearly) the body limit, plain and shaped for backtracking regexes. */
const hugeString = fc
  .tuple(
    fc.constantFrom('a', 'a@', '@', '.', 'a.', ' ', '\t', '-', '/', 'a-', '0', '%', '\\', 'é', '\u{1F4A9}', '\u0000'),
    fc.constantFrom(300, 2_000, 20_000, 58_000),
    fc.constantFrom('', '@', '!', '@x', '.x', 'a@b.c'),
  )
  .map(([unit, bytes, tail]) => {
    // JSON escapes NUL as six characters; keep the whole body near, not over, the limit.
    const budget = unit === '\u0000' ? Math.floor(bytes / 6) : unit.length > 1 && unit > '\u007f' ? bytes / 4 : bytes;
    return repeat(unit, budget) + tail;
  });

const pathologicalEmails = fc.constantFrom(
  `${'a'.repeat(58_000)}@`,
  `${'a@'.repeat(20_000)}`,
  `a@${'a.'.repeat(25_000)}`,
  `${'a'.repeat(30_000)}@${'b'.repeat(27_000)}`,
  `"${'\\'.repeat(20_000)}"@x.test`,
  `${'.'.repeat(50_000)}@x.test`,
  `x@${'-'.repeat(50_000)}.test`,
  // Every dot is a place the domain part may split, and the end never matches: quadratic.
  `x@${'a.'.repeat(29_000)} `,
  `x@${'a.'.repeat(29_000)}@`,
);

const nastyShortString = fc.constantFrom(
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'admin@example.com\u0000',
  '\uD800',
  '\uDFFF',
  'a\uDBFFz',
  '\uDC00\uD800',
  '\u202Eevil',
  'e\u0301'.repeat(200),
  'İstanbul',
  'ß',
  '１２３',
  '\u{1F469}\u200D\u{1F4BB}',
  '\uFEFF',
  '__proto__',
  'constructor',
  'toString',
  '../../etc/passwd',
  "'; DROP TABLE tenants; --",
  '${7*7}',
  '<script>alert(1)</script>',
  '%00',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  'null',
  '2024-99-99',
  '2024-02-30T25:61:61Z',
  '-'.repeat(36),
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '00000000-0000-0000-0000-000000000000',
  'https://169.254.169.254/latest/meta-data/',
  'http://[::1]:5432/',
  'javascript:alert(1)',
);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, 5e-324),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.constant({ toString: 'x', valueOf: 1 }),
  fc.constant([{ __proto__: 1 }]),
);

const unicodeString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hugeString, weight: 3 },
  { arbitrary: pathologicalEmails, weight: 2 },
  { arbitrary: nastyShortString, weight: 3 },
  { arbitrary: wrongType, weight: 2 },
  { arbitrary: unicodeString, weight: 2 },
);

export function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema {
  if (!schema) return {};
  if (schema.$ref) return components[schema.$ref.split('/').pop()!] ?? {};
  return schema;
}

/** A value the schema accepts, so that the other, hostile fields reach deeper code. */
export function plausible(schema: Schema, components: Record<string, Schema>, field: string): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if (s.type === 'boolean') return fc.boolean();
  if (s.type === 'number' || s.type === 'integer')
    return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 1000, 1_000_000) });
  if (s.type === 'array') return fc.array(plausible(s.items ?? {}, components, field), { maxLength: 3 });
  if (s.type === 'object' || s.properties) return fc.constant({});
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'date-time') return fc.constant(new Date().toISOString());
  if (/email/i.test(field)) return fc.constantFrom('ada@example.com', 'x@y.z');
  if (/url/i.test(field)) return fc.constantFrom('https://example.com/hook', 'https://auth.example.com/jwks.json');
  if (typeof s.example === 'string') return fc.constant(s.example);
  const min = s.minLength ?? 1;
  return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(s.maxLength ?? 40, 40)) });
}

/** JSON text written by hand, so `__proto__` is an own key and keys may repeat. */
const jsonObject = (entries: [string, unknown][]) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;

const deep = (depth: number, open: string, close: string, inner = '1') =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

interface BodyChoice {
  kind: string;
  text: string | Buffer | undefined;
  contentType: string | undefined;
}

function bodyArbitrary(op: Operation, components: Record<string, Schema>): fc.Arbitrary<BodyChoice> {
  const schema = resolve(op.body ?? undefined, components);
  const fields = Object.entries(schema.properties ?? {});
  const fieldNames = fields.map(([name]) => name);
  const json = (kind: string, text: string | Buffer): BodyChoice => ({ kind, text, contentType: 'application/json' });

  const objectBody = fc
    .tuple(
      fc.tuple(
        ...(fields.length ? fields : [['value', {}] as [string, Schema]]).map(([name, field]) =>
          fc.oneof(
            { arbitrary: plausible(field, components, name).map((v) => [name, v] as [string, unknown]), weight: 2 },
            { arbitrary: hostileValue.map((v) => [name, v] as [string, unknown]), weight: 2 },
            { arbitrary: fc.constant(null), weight: 1 },
          ),
        ),
      ),
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(...PROTOTYPE_KEYS),
            fc.string({ maxLength: 12 }),
            fc.constantFrom(...fieldNames, 'x'),
          ),
          fc.oneof(fc.constant({ polluted: true }), fc.constant('x'), fc.constant(1), fc.constant(null), hostileValue),
        ),
        { maxLength: 3 },
      ),
    )
    .map(([known, extra]) => {
      const entries = [...known.filter((e): e is [string, unknown] => e !== null), ...extra];
      const text = jsonObject(entries);
      return json(extra.length ? 'object+extra-keys' : 'object', text);
    });

  const nestedField = fc
    .tuple(
      fc.constantFrom(...(fieldNames.length ? fieldNames : ['value'])),
      fc.constantFrom(64, 1_000, 10_000, 30_000),
      fc.constantFrom<[string, string]>(['[', ']'], ['{"a":', '}'], ['{"__proto__":', '}']),
    )
    .map(([field, depth, [open, close]]) =>
      json(`deep-field-${depth}`, `{${JSON.stringify(field)}:${deep(depth, open, close)}}`),
    );

  const deepTop = fc
    .tuple(
      fc.constantFrom(1_000, 10_000, 30_000),
      fc.constantFrom<[string, string]>(['[', ']'], ['{"a":', '}'], ['{"constructor":', '}']),
    )
    .map(([depth, [open, close]]) => json(`deep-top-${depth}`, deep(depth, open, close)));

  const hugeArray = fc
    .tuple(
      fc.constantFrom(...(fieldNames.length ? fieldNames : ['value'])),
      fc.constantFrom('0', '""', '{}', '[]', 'null', '"web"'),
      fc.boolean(),
    )
    .map(([field, item, top]) => {
      const count = Math.floor((BODY_LIMIT - 100) / (item.length + 1));
      const array = `[${Array(count).fill(item).join(',')}]`;
      return json(top ? 'huge-array-top' : 'huge-array-field', top ? array : `{${JSON.stringify(field)}:${array}}`);
    });

  const notAnObject = fc
    .constantFrom('null', '1', '-0', '1e999', '"a string"', 'true', '[]', '[{}]', '""', '{}', '[null]')
    .map((text) => json('not-an-object', text));

  const invalidJson = fc
    .constantFrom(
      '{',
      '}',
      '{"a":}',
      "{'a':1}",
      '{"a":1,}',
      '\uFEFF{}',
      'NaN',
      '{"a":NaN}',
      '{"a":Infinity}',
      '{"a":1}{"b":2}',
      '',
      ' ',
      '\u0000',
      '{"a":"\\u00"}',
      '{"a":"\\ud800"}',
      '{"\\u0000":1}',
      '{"a":01}',
      '{"a":1e99999}',
      '{"a":-}',
      '/*x*/{}',
    )
    .map((text) => json('invalid-json', text));

  const invalidUtf8 = fc
    .constantFrom([0xff, 0xfe], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xe2, 0x82])
    .chain((bad) =>
      fc.constantFrom(...(fieldNames.length ? fieldNames : ['value'])).map((field) => {
        const text = Buffer.concat([Buffer.from(`{${JSON.stringify(field)}:"a`), Buffer.from(bad), Buffer.from(`b"}`)]);
        return json('invalid-utf8', text);
      }),
    );

  const overLimit = fc
    .constantFrom(BODY_LIMIT + 1, BODY_LIMIT * 4)
    .map((size) => json('over-limit', `{"a":"${'a'.repeat(size)}"}`));

  const contentTypeConfusion = fc
    .tuple(
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/json; charset=utf-16le',
        'APPLICATION/JSON',
        'application/vnd.api+json',
        'application/json, text/plain',
        'application/json; charset=utf-8; charset=utf-16',
        'application/xml',
        '',
        '*/*',
      ),
      fc.constantFrom('{"name":"x"}', '__proto__[polluted]=1&constructor=1', '--x\r\n\r\n--x--', '<a/>', '{}'),
    )
    .map(([contentType, text]) => ({ kind: `content-type:${contentType || 'empty'}`, text, contentType }));

  const noContentType = fc
    .constantFrom('{}', '{"a":1}')
    .map((text): BodyChoice => ({ kind: 'no-content-type', text, contentType: undefined }));

  const formBody = fc
    .constantFrom(
      Array.from({ length: 6_000 }, (_, i) => `k${i}=1`).join('&'),
      `${fieldNames[0] ?? 'a'}=${'x'.repeat(60_000)}`,
      `${fieldNames[0] ?? 'a'}=a%00b&__proto__=1&constructor[prototype][x]=1`,
      `${fieldNames[0] ?? 'a'}=1&${fieldNames[0] ?? 'a'}=2`,
      `${fieldNames[0] ?? 'a'}=%ED%A0%80`,
    )
    .map((text): BodyChoice => ({ kind: 'form', text, contentType: 'application/x-www-form-urlencoded' }));

  const duplicateKeys = fc
    .constantFrom(...(fieldNames.length ? fieldNames : ['value']))
    .map((f) =>
      json('duplicate-keys', `{${JSON.stringify(f)}:"x",${JSON.stringify(f)}:{"a":1},${JSON.stringify(f)}:null}`),
    );

  const none = fc.constant<BodyChoice>({ kind: 'none', text: undefined, contentType: undefined });

  const bodied = fc.oneof(
    { arbitrary: objectBody, weight: 12 },
    { arbitrary: nestedField, weight: 2 },
    { arbitrary: deepTop, weight: 1 },
    { arbitrary: hugeArray, weight: 2 },
    { arbitrary: notAnObject, weight: 2 },
    { arbitrary: invalidJson, weight: 2 },
    { arbitrary: invalidUtf8, weight: 1 },
    { arbitrary: overLimit, weight: 1 },
    { arbitrary: contentTypeConfusion, weight: 2 },
    { arbitrary: noContentType, weight: 1 },
    { arbitrary: formBody, weight: 1 },
    { arbitrary: duplicateKeys, weight: 1 },
  );
  if (op.body) return bodied;
  // Routes without a documented body still get one now and then: the parser runs anyway.
  return fc.oneof({ arbitrary: none, weight: 3 }, { arbitrary: bodied, weight: 1 });
}

const hostileSegment = fc.constantFrom(
  '',
  '.',
  '..',
  '%2e%2e',
  '%00',
  'a%00b',
  '%2F',
  '%5C',
  '%zz',
  '%',
  '%ED%A0%80',
  '%C0%AF',
  '%F0%9F%92%A9',
  '%E2%80%AE',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '-'.repeat(36),
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '00000000-0000-0000-0000-000000000000',
  '00000000-0000-0000-0000-00000000000g',
  '1e999',
  '-1',
  '0',
  '9'.repeat(400),
  'NaN',
  'Infinity',
  '0x10',
  '%201',
  'a'.repeat(6_000),
  '%61'.repeat(2_000),
  'WEB',
  'web%00',
  'web',
  'ios',
);

function plausibleParam(name: string, schema: Schema): fc.Arbitrary<string> {
  if (schema.type === 'number' || schema.type === 'integer') return fc.integer({ min: 1, max: 3 }).map(String);
  if (/platform/i.test(name)) return fc.constantFrom('web', 'ios', 'android');
  return fc.uuid();
}

const queryValue = fc.oneof(
  fc.constantFrom('1', '0', '-1', '10', '1000000', '1e999', 'NaN', 'true', 'false', 'x', ''),
  fc.constantFrom('2024-99-99', '2024-02-30T00:00:00Z', '0000-00-00', '9999-12-31T23:59:59.999999Z', '+275760-09-13'),
  fc.constantFrom('%00', 'a%00b', '%ED%A0%80', '%uD800', '%F0%9F%92%A9', '%', '%zz', '__proto__'),
  fc.constantFrom('a'.repeat(3_000), '%41'.repeat(1_000)),
  fc.uuid(),
  // Cursors the API never issued: wrong dates, wrong ids, garbage, huge.
  fc
    .constantFrom(
      '2024-99-99T00:00:00Z|00000000-0000-0000-0000-000000000000',
      '2024-02-30T25:61:61.000000Z|00000000-0000-0000-0000-000000000000',
      `2024-01-01T00:00:00Z|${'-'.repeat(36)}`,
      '|',
      '\u0000|\u0000',
      `2024-01-01T00:00:00.000000Z|${'a'.repeat(36)}`,
      'x'.repeat(2_000),
    )
    .map((raw) => Buffer.from(raw, 'utf8').toString('base64url')),
);

function queryArbitrary(op: Operation): fc.Arbitrary<string> {
  const names = op.queryParams.map((p) => p.name);
  const pair = fc.tuple(
    fc.oneof(
      { arbitrary: fc.constantFrom(...(names.length ? names : ['x'])), weight: 4 },
      { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, '__proto__[polluted]', 'constructor[prototype][x]'), weight: 1 },
      { arbitrary: fc.constantFrom('limit[]', 'cursor[a]', 'a.b', 'x'), weight: 1 },
    ),
    queryValue,
  );
  return fc
    .array(pair, { maxLength: names.length ? 4 : 1 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}` : ''));
}

export function caseArbitrary(op: Operation, components: Record<string, Schema>): fc.Arbitrary<HostileCase> {
  const otherParams = op.pathParams.filter((p) => p.name !== 'tenantId');
  const params = fc.tuple(
    ...otherParams.map((p) =>
      fc
        .oneof({ arbitrary: plausibleParam(p.name, p.schema), weight: 2 }, { arbitrary: hostileSegment, weight: 3 })
        .map((v) => [p.name, v] as const),
    ),
  );
  return fc
    .record({
      target: fc.constantFrom<Target>('own', 'foreign', 'foreign', 'none'),
      idSpelling: fc.constantFrom<HostileCase['idSpelling']>(
        'canonical',
        'canonical',
        'canonical',
        'upper',
        'percent',
        'braced',
      ),
      pathSpelling: fc.oneof(
        { arbitrary: fc.constant<PathSpelling>('plain'), weight: 6 },
        {
          arbitrary: fc.constantFrom<PathSpelling>(
            'encoded-first-letter',
            'double-slash',
            'dot-segment',
            'upper-case-prefix',
            'trailing-slash',
            'encoded-slash',
          ),
          weight: 2,
        },
      ),
      params,
      query: op.queryParams.length ? queryArbitrary(op) : fc.oneof(fc.constant(''), queryArbitrary(op)),
      body: bodyArbitrary(op, components),
      foreignOrigin: fc.constantFrom(false, false, false, true),
      headers: headerNoise,
      hostileTenantId: hostileSegment,
    })
    .map((r) => ({
      target: r.target,
      idSpelling: r.idSpelling,
      pathSpelling: r.pathSpelling,
      params: { ...Object.fromEntries(r.params), __hostileTenantId: r.hostileTenantId },
      query: r.query,
      body:
        r.body.text === undefined ? undefined : Buffer.isBuffer(r.body.text) ? r.body.text : Buffer.from(r.body.text),
      contentType: r.body.contentType,
      bodyKind: r.body.kind,
      foreignOrigin: r.foreignOrigin,
      headers: r.headers,
    }));
}

/** The tenant id as written in the path. */
export function spellTenantId(id: string, spelling: HostileCase['idSpelling']): string {
  switch (spelling) {
    case 'canonical':
      return id;
    case 'upper':
      return id.toUpperCase();
    case 'percent':
      return [...id].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    case 'braced':
      return `%7B${id}%7D`;
  }
}

/** The same route, spelled the ways a router may decode but a string check may not. */
export function spellPath(path: string, spelling: PathSpelling): string {
  const [, first = '', rest = ''] = /^\/([^/]+)(.*)$/.exec(path) ?? [];
  switch (spelling) {
    case 'plain':
      return path;
    case 'encoded-first-letter':
      return `/%${first.charCodeAt(0).toString(16)}${first.slice(1)}${rest}`;
    case 'double-slash':
      return `/${path}`;
    case 'dot-segment':
      return `/${first}/.${rest}`;
    case 'upper-case-prefix':
      return `/${first.toUpperCase()}${rest}`;
    case 'trailing-slash':
      return `${path}/`;
    case 'encoded-slash':
      return `/${first}${rest.replace('/', '%2F')}`;
  }
}

/** Values every string field meets once in the sweep, with every other field plausible. */
export const SWEEP_VALUES: [string, unknown][] = [
  ['NUL', 'a\u0000b'],
  ['only NUL', '\u0000'],
  ['lone high surrogate', 'a\uD800b'],
  ['lone low surrogate', '\uDFFF'],
  ['reversed surrogates', '\uDC00\uD800'],
  ['right-to-left override', '\u202Eevil'],
  ['prototype name', '__proto__'],
  ['58,000 characters', 'a'.repeat(58_000)],
  ['backtracking email', `x@${'a.'.repeat(29_000)} `],
  ['object', { toString: 'x' }],
  // JSON inside a value: JWTs whose header or payload nest thousands of levels.
  [
    'JWT with a deep header',
    `${Buffer.from(`{"alg":${'['.repeat(5_000)}${']'.repeat(5_000)}}`).toString('base64url')}.e30.sig`,
  ],
  [
    'JWT with a deep payload',
    `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(`{"a":${'{"a":'.repeat(1_500)}1${'}'.repeat(1_500)}}`).toString('base64url')}.sig`,
  ],
  ['number', 1e308],
];

/** One body per (string field, sweep value): everything else plausible, so the value goes deep. */
export function sweepBodies(
  op: Operation,
  components: Record<string, Schema>,
  seed: number,
): { field: string; label: string; body: Buffer }[] {
  const schema = resolve(op.body ?? undefined, components);
  const fields = Object.entries(schema.properties ?? {});
  const base = Object.fromEntries(
    fields.map(([name, field]) => [name, fc.sample(plausible(field, components, name), { seed, numRuns: 1 })[0]]),
  );
  const out: { field: string; label: string; body: Buffer }[] = [];
  for (const [name, field] of fields) {
    if (resolve(field, components).type !== 'string') continue;
    for (const [label, value] of SWEEP_VALUES) {
      out.push({ field: name, label, body: Buffer.from(JSON.stringify({ ...base, [name]: value })) });
    }
  }
  return out;
}

const forgedCursor = (raw: string) => Buffer.from(raw, 'utf8').toString('base64url');

/** Values every query parameter meets once in the sweep, percent-encoded as sent. */
export const QUERY_SWEEP_VALUES: (string | ((name: string) => string))[] = [
  '2024-99-99',
  '2024-02-30',
  '2024-02-30T25:61:61Z',
  '0000-01-01',
  '%2B275760-09-13T00:00:00Z',
  '-271821-04-20',
  '1e999',
  '-1',
  '0',
  'NaN',
  '99999999999999999999',
  '',
  'a%00b',
  '%ED%A0%80',
  '%20'.repeat(100),
  'a'.repeat(3_000),
  forgedCursor('2024-99-99T00:00:00Z|00000000-0000-0000-0000-000000000000'),
  forgedCursor('2024-02-30T00:00:00.000000Z|00000000-0000-0000-0000-000000000000'),
  forgedCursor(`2024-01-01T00:00:00Z|${'-'.repeat(36)}`),
  forgedCursor('9999-12-31T23:59:59.999999Z|ffffffff-ffff-ffff-ffff-ffffffffffff'),
  // Floods within Node's 16 KiB header limit: the parameter itself repeated, 1,300 unknown ones.
  (name) => `1${`&${name}=1`.repeat(Math.floor(12_000 / (name.length + 3)))}`,
  `1${Array.from({ length: 1_300 }, (_, i) => `&k${i}=1`).join('')}`,
];
