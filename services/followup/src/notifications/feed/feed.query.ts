import { z } from 'zod';
import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';

/** GET /v1/feed query: unread only, page size and cursor. */
export const feedQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  limit: limitParamSchema(),
  cursor: cursorParamSchema.optional(),
});
export type FeedQuery = z.infer<typeof feedQuerySchema>;
