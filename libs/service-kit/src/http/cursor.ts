import { z } from 'zod';

/** An opaque keyset-pagination cursor: the sort key of the last row returned. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor; undefined when it is malformed or of another shape. */
export function decodeCursor<T extends readonly (string | number)[]>(
  cursor: string,
  shape: z.ZodType<T>,
): T | undefined {
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Query-string schema of a cursor: validated as a string here, decoded by the use case. */
export const cursorParamSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by a previous page');

/** Query-string schema of a page size. */
export const limitParamSchema = (max = 200, dflt = 50) => z.coerce.number().int().min(1).max(max).default(dflt);
