import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';
import { z } from 'zod';

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** GET /v1/series/{id}/sessions query: sessions starting in [from, to), oldest first. */
export const listSessionsQuerySchema = z
  .strictObject({
    from: instant.optional().describe('ISO date-time with offset, or a date (UTC midnight)'),
    to: instant.optional(),
    cursor: cursorParamSchema.optional(),
    limit: limitParamSchema(200, 50),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), {
    message: 'must be after from',
    path: ['to'],
  });
export type ListSessionsQuery = z.infer<typeof listSessionsQuerySchema>;
