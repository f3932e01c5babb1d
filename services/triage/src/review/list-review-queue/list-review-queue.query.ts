import { z } from 'zod';
import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';

/** GET /v1/review-queue query. */
export const listReviewQueueQuerySchema = z.strictObject({
  reason: z.enum(['policy', 'consultation-required']).optional(),
  limit: limitParamSchema(200, 50),
  cursor: cursorParamSchema.optional(),
});
export type ListReviewQueueQuery = z.infer<typeof listReviewQueueQuerySchema>;
