/**
 * Ids are UUIDs, compared and stored in one spelling: lower case. A path or body may spell one in
 * capitals, and that spelling must never reach a cache key, an encryption binding (AAD) or a
 * notification topic, or a secret saved through it would not open through the canonical one.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_LENGTH = 36;

/** The canonical (lower-case) form of a UUID, or null for anything else (36 dashes included). */
export function canonicalUuid(value: unknown): string | null {
  if (typeof value !== 'string' || value.length !== UUID_LENGTH) return null;
  const lower = value.toLowerCase();
  return UUID.test(lower) ? lower : null;
}

/** For class-transformer's `@Transform`: an id from a query or body, lower-cased before validation. */
export const toCanonicalId = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.toLowerCase() : value;

/** Whether a value is a UUID in any spelling; `canonicalUuid` gives the one to store. */
export const isUuid = (value: string): boolean => canonicalUuid(value) !== null;
