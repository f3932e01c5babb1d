import { z } from 'zod';

/** POST /v1/series/{id}/end: the series stops; its future sessions are cancelled and their cases move. */
export const endSeriesRequestSchema = z.strictObject({
  expectedVersion: z.number().int().min(1).optional().describe('409 if the series changed since'),
  reason: z.string().trim().min(1).max(200).default('series-ended').describe('recorded on the cancelled sessions'),
});
export type EndSeriesRequest = z.infer<typeof endSeriesRequestSchema>;
