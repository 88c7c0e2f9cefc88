import { Type, type TSchema } from 'typebox';
import { AppError, CoreErrorCode } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export const ZPageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, description: `Page size (default ${DEFAULT_PAGE_SIZE})` })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor from the previous page' })),
};

export const ZPage = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page' }),
    total: Type.Optional(Type.Integer({ description: 'Rows matching the filter (lists that count them)' })),
  });

/** Cursors are opaque to clients: the last key of the page, base64url-encoded. */
export const encodeCursor = (lastKey: string | number): string => Buffer.from(JSON.stringify({ k: lastKey }), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string): string | number => {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string' || typeof parsed.k === 'number') {
      return parsed.k;
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('INVALID_INPUT', CoreErrorCode.INVALID_CURSOR, 'cursor is not one this server issued', [
    { path: '/query/cursor', message: 'is not a cursor this server issued' },
  ]);
};

/** The string key a list continues after, from the request's cursor (none for the first page). */
export const keyAfter = (cursor: string | undefined): string | undefined =>
  cursor === undefined ? undefined : String(decodeCursor(cursor));

/** Given limit+1 rows fetched, the page and the cursor for the next. */
export const pageOf = <R, K extends string | number>(
  rows: R[],
  limit: number,
  keyOf: (r: R) => K,
): { items: R[]; nextCursor: string | null } => {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
};
