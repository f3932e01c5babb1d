import { bhRelatedToSchema } from '@cit/contracts';
import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';
import { z } from 'zod';

/** GET /v1/incidents query string; POST /v1/incidents/search takes the same filters in its body. */
export const listIncidentsQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().describe('occurredAt >= from'),
  to: z.iso.datetime({ offset: true }).optional().describe('occurredAt < to'),
  bh: z
    .enum([...bhRelatedToSchema.options, 'any'])
    .optional()
    .describe('behavioral-health flag; any = anything but neither'),
  district: z.string().trim().min(1).max(64).optional(),
  personId: z.string().min(1).max(64).optional().describe('incidents of this person (and persons merged into it)'),
  limit: limitParamSchema(),
  cursor: cursorParamSchema.optional(),
});
export type ListIncidentsQuery = z.infer<typeof listIncidentsQuerySchema>;
