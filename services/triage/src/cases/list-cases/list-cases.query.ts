import { caseStatusSchema, idSchema } from '@cit/contracts';
import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';
import { z } from 'zod';

/** GET /v1/cases query string. */
export const listCasesQuerySchema = z.strictObject({
  status: z
    .enum([...caseStatusSchema.options, 'active', 'closed'])
    .optional()
    .describe('one status, or active (open and in-contact) / closed (any closing status)'),
  personId: idSchema.optional().describe('cases of this person'),
  assignedTo: idSchema.optional(),
  limit: limitParamSchema(),
  cursor: cursorParamSchema.optional(),
});
export type ListCasesQuery = z.infer<typeof listCasesQuerySchema>;
