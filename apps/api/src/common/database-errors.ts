import { DomainError, ErrorCode } from './errors';

/** How long a client is told to wait before trying again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Node's network errors: the server is not there, went away, or the address does not answer.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// PostgreSQL SQLSTATEs for "the server cannot serve you right now", not "your query is wrong":
// class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, starting up),
// 53300 (too many connections), 57014 (statement timeout or cancel).
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

// node-postgres and pg-pool say these in words only: a dropped connection, query_timeout,
// connectionTimeoutMillis (also what an exhausted pool answers), a client already broken.
const MESSAGES = [
  /^Connection terminated/,
  /^Query read timeout$/,
  /^timeout exceeded when trying to connect$/,
  /not queryable/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
];

function isOne(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))) {
    return true;
  }
  return typeof message === 'string' && MESSAGES.some((re) => re.test(message));
}

/**
 * Whether `err` says the database is unreachable, shutting down, or too slow, as opposed to a
 * query or data problem. Looks through TypeORM's `driverError`, `cause` and AggregateError (a
 * host name with several addresses fails with one error per address).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 4 || !err || typeof err !== 'object') return false;
  if (err instanceof DomainError) return err.code === ErrorCode.DatabaseUnavailable;
  if (isOne(err)) return true;
  const { driverError, cause, errors } = err as { driverError?: unknown; cause?: unknown; errors?: unknown };
  if (isDatabaseUnavailable(driverError, depth + 1) || isDatabaseUnavailable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => isDatabaseUnavailable(e, depth + 1));
}

export const databaseUnavailable = (): DomainError =>
  new DomainError(
    ErrorCode.DatabaseUnavailable,
    `The database is unavailable for a moment. Try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
    { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
  );

/** The 503 to answer for a database outage, or null when `err` is something else. */
export function asDatabaseUnavailable(err: unknown): DomainError | null {
  if (err instanceof DomainError) return null;
  return isDatabaseUnavailable(err) ? databaseUnavailable() : null;
}
