import { z } from 'zod';
import { consultationSchema } from '../review.request';

/** POST /v1/decisions/{id}/confirm */
export const confirmDecisionRequestSchema = z.strictObject({
  consultation: consultationSchema.optional().describe('Required when the decision waits for a consultation'),
});
export type ConfirmDecisionRequest = z.infer<typeof confirmDecisionRequestSchema>;
