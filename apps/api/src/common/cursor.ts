import { validationError } from './errors';
import { canonicalUuid } from './ids';

/** Keyset cursors: opaque to clients, `(timestamp, id)` inside, so pages stay stable while rows are added. */
// Microseconds, as Postgres stores them: a millisecond cursor would skip rows at page edges.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** The SQL for a timestamptz column as a cursor position: ISO 8601 UTC with microseconds. */
export const cursorTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface CursorPosition {
  at: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.at}|${position.id}`, 'utf8').toString('base64url');
}

// Far longer than any cursor this API issues (a timestamp, a bar and a UUID, in base64url).
const MAX_CURSOR_LENGTH = 200;

/** The pattern alone passes 2024-99-99 or 25:61, which Postgres then refuses with a 500. */
function isRealInstant(at: string): boolean {
  if (!TIMESTAMP.test(at)) return false;
  const seconds = at.slice(0, 19);
  const date = new Date(`${seconds}Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === seconds;
}

export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  if (!cursor) return null;
  const [at, rawId, ...rest] =
    cursor.length <= MAX_CURSOR_LENGTH ? Buffer.from(cursor, 'base64url').toString('utf8').split('|') : [];
  const id = canonicalUuid(rawId);
  if (!at || id === null || rest.length > 0 || !isRealInstant(at)) {
    throw validationError({
      cursor: ['cursor is not one this API issued; pass back nextCursor from the previous page unchanged.'],
    });
  }
  return { at, id };
}
