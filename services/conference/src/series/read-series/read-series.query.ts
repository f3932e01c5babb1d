import { z } from 'zod';

/** GET /v1/series query. */
export const listSeriesQuerySchema = z.strictObject({
  status: z.enum(['active', 'ended']).optional(),
});
export type ListSeriesQuery = z.infer<typeof listSeriesQuerySchema>;
