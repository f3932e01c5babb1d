/** One page of a keyset-paginated list; nextCursor is null on the last page (never undefined or absent). */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Turns rows fetched with LIMIT limit + 1 into a page: the extra row only says that another
 * page exists, and the cursor is made from the last row returned.
 */
export function cursorPage<R, T = R>(
  rows: readonly R[],
  limit: number,
  cursorOf: (last: R) => string,
  map?: (row: R) => T,
): CursorPage<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: map ? page.map(map) : (page as unknown as T[]),
    nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null,
  };
}
