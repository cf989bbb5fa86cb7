import { validationError } from './errors';

/** Keyset cursors: opaque to clients, `(timestamp, id)` inside, so pages stay stable while rows are added. */
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
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw validationError({
      cursor: ['cursor is not one this API issued; pass back nextCursor from the previous page unchanged.'],
    });
  }
  return { at, id };
}
