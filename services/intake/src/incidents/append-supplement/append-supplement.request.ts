import { z } from 'zod';

/** POST /v1/incidents/{id}/supplements: narrative appended after the report. */
export const appendSupplementRequestSchema = z.strictObject({
  narrative: z.string().trim().min(1).max(20000).describe('PHI: stored encrypted'),
});
export type AppendSupplementRequest = z.infer<typeof appendSupplementRequestSchema>;
