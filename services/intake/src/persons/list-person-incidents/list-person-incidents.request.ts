import { z } from 'zod';

/** GET /v1/persons/{id}/incidents query: page size and the opaque cursor of the previous page. */
export const listPersonIncidentsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(512).optional(),
});
export type ListPersonIncidentsQuery = z.infer<typeof listPersonIncidentsQuerySchema>;
