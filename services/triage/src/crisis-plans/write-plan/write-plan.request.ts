import { z } from 'zod';
import { crisisPlanContentSchema } from '../crisis-plan.content';

/** PUT /v1/persons/{personId}/crisis-plan: a new version of the person's crisis response plan. */
export const writeCrisisPlanRequestSchema = z.strictObject({
  content: crisisPlanContentSchema,
  reviewDate: z.iso.date().describe('when the plan is to be reviewed (YYYY-MM-DD), today or later'),
  /** Optimistic concurrency: the version the caller saw (0: the person has no plan yet). */
  expectedVersion: z.number().int().min(0).optional(),
});
export type WriteCrisisPlanRequest = z.infer<typeof writeCrisisPlanRequestSchema>;
