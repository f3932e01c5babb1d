import { bhCodingSchema, bhRelatedToSchema } from '@cit/contracts';
import { z } from 'zod';

const decisionReason = z.string().trim().min(1).max(500).describe('Why; free text that may hold PHI, stored encrypted');

/**
 * POST /v1/review-queue/{itemId}/accept: the coding the incident gets. Observations and
 * suspectedUsing default to the incident's current codes; "neither" is no re-flag (dismiss instead).
 */
export const acceptReviewItemRequestSchema = z.strictObject({
  relatedTo: bhRelatedToSchema.exclude(['neither']),
  // The coding's own rules (no repeated code, N alone): the event the accept emits is checked against them.
  observations: bhCodingSchema.shape.observations.optional(),
  suspectedUsing: bhCodingSchema.shape.suspectedUsing.optional(),
  reason: decisionReason,
});
export type AcceptReviewItemRequest = z.infer<typeof acceptReviewItemRequestSchema>;

/** POST /v1/review-queue/{itemId}/dismiss: the incident keeps its coding. */
export const dismissReviewItemRequestSchema = z.strictObject({ reason: decisionReason });
export type DismissReviewItemRequest = z.infer<typeof dismissReviewItemRequestSchema>;

export const acceptReviewItemExample: AcceptReviewItemRequest = {
  relatedTo: 'mental-health',
  observations: ['suicidal-statements'],
  reason: 'Narrative describes suicidal statements; clinician confirmed.',
};
