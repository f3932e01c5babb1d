import { reviewItemStatusSchema } from '@cit/contracts';
import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';
import { z } from 'zod';

/** GET /v1/review-queue query string. */
export const listReviewItemsQuerySchema = z.strictObject({
  status: reviewItemStatusSchema.default('pending'),
  limit: limitParamSchema(100, 25),
  cursor: cursorParamSchema.optional(),
});
export type ListReviewItemsQuery = z.infer<typeof listReviewItemsQuerySchema>;
