import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';
import { z } from 'zod';

/** GET /v1/persons/{id}/incidents query: page size and the opaque cursor of the previous page. */
export const listPersonIncidentsQuerySchema = z.strictObject({
  limit: limitParamSchema(100, 25),
  cursor: cursorParamSchema.optional(),
});
export type ListPersonIncidentsQuery = z.infer<typeof listPersonIncidentsQuerySchema>;
