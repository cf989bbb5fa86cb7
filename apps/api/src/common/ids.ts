/**
 * The one shape check for ids that reach Postgres as `uuid`. A looser pattern (`[0-9a-f-]{36}`
 * let 36 dashes through) fails inside the query instead: a 500 for a caller's typo.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
