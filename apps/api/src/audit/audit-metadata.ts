/**
 * Metadata is for safe facts (an email invited, a fingerprint, a platform). Any key named like
 * a credential is dropped at any depth, whatever its value, so a careless
 * `metadata: { ...body }` cannot put a secret into the append-only trail, where it could
 * never be removed again.
 */
const SENSITIVE_KEY =
  /secret|passw|pwd|token|key|hash|authoriz|cookie|session|credential|signature|private|bearer|jwt/i;

/** Names that look sensitive but hold only safe facts. Extend deliberately, with a reason. */
const SAFE_KEYS = new Set([
  'fingerprint', // a truncated SHA-256 of a secret: identifies a version, reveals nothing
  'last4',
  'keyPrefix', // the visible prefix of an API key, shown in lists anyway
  'apiKeyId',
  'apiKeyName',
  'secretId',
  'secretVersion',
  'tokenTtlSeconds', // a setting, not a token
]);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MAX_DEPTH = 6;
const MAX_ITEMS = 100;
const MAX_STRING = 2000;

export type AuditMetadata = Record<string, unknown>;

export function isSensitiveKey(key: string): boolean {
  return !SAFE_KEYS.has(key) && SENSITIVE_KEY.test(key);
}

/** Postgres text and jsonb refuse NUL and lone surrogates; strip them so a write never fails on input. */
export function cleanText(value: string, max = MAX_STRING): string {
  return value.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '').slice(0, max);
}

function scrub(value: unknown, depth: number): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return cleanText(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined; // functions, symbols, undefined
  }
  // Raw bytes are the likeliest form of key material: never recorded.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return undefined;
  if (depth >= MAX_DEPTH) return '[too deep]';
  // Dates, and secret wrappers whose toJSON redacts, are recorded as they serialise.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return scrub(toJSON.call(value), depth + 1);
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => scrub(v, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (isSensitiveKey(key)) continue;
    const clean = scrub(v, depth + 1);
    if (clean !== undefined) out[key] = clean;
  }
  return out;
}

/** A JSON-safe copy of `metadata` without sensitive keys, raw bytes or unbounded values. */
export function scrubAuditMetadata(metadata: AuditMetadata | undefined): AuditMetadata {
  if (!metadata) return {};
  const clean = scrub(metadata, 0);
  return clean && typeof clean === 'object' && !Array.isArray(clean) ? (clean as AuditMetadata) : {};
}
