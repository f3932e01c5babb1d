import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';
import { z } from 'zod';

/** GET /v1/audit query string. */
export const listAuditEntriesQuerySchema = z
  .strictObject({
    person: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/)
      .optional()
      .describe('entries that touched this person id'),
    user: z.string().min(1).max(256).optional().describe('entries of this user (token subject)'),
    from: z.iso.datetime({ offset: true }).optional().describe('occurredAt >= from'),
    to: z.iso.datetime({ offset: true }).optional().describe('occurredAt < to'),
    limit: limitParamSchema(200, 50),
    cursor: cursorParamSchema.optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'must be after from',
    path: ['to'],
  });
/** GET /v1/audit query string. */
export type ListAuditEntriesQuery = z.infer<typeof listAuditEntriesQuerySchema>;
