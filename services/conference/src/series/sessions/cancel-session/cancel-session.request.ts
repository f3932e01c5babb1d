import { z } from 'zod';

/** POST /v1/sessions/{id}/cancel. */
export const cancelSessionRequestSchema = z.strictObject({
  reason: z.string().trim().min(1).max(200).describe('why (e.g. "holiday"); no names or case details'),
  expectedSequence: z.number().int().min(0).optional().describe('409 if the session changed since it was read'),
});
export type CancelSessionRequest = z.infer<typeof cancelSessionRequestSchema>;
