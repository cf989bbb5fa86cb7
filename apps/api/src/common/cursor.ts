import { validationError } from './errors';
import { isUuid } from './ids';

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

export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !TIMESTAMP.test(at) || !isUuid(id)) {
    throw validationError({
      cursor: ['cursor is not one this API issued; pass back nextCursor from the previous page unchanged.'],
    });
  }
  return { at, id };
}
