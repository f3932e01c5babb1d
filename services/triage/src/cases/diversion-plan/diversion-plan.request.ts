import { z } from 'zod';

/**
 * PUT /v1/cases/{id}/diversion-plan: the jail-diversion plan of a case — treatment goals and
 * a recommendation on the pending charges. Each save is a new version; all of it is PHI.
 */
export const writeDiversionPlanRequestSchema = z.strictObject({
  treatmentGoals: z.array(z.string().trim().min(1).max(1000)).min(1).max(20),
  chargeRecommendation: z.strictObject({
    action: z.enum(['reduce', 'hold', 'no-change']).describe('reduce or hold the charges, or leave them as they are'),
    rationale: z.string().trim().min(1).max(2000),
  }),
  /** Optimistic concurrency: the version the caller saw (0 for none yet). */
  expectedVersion: z.number().int().min(0).optional(),
});
export type WriteDiversionPlanRequest = z.infer<typeof writeDiversionPlanRequestSchema>;
