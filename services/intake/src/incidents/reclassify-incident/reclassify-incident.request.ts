import { bhCodingSchema, reclassificationReasonCodeSchema } from '@cit/contracts';
import { z } from 'zod';

/** PUT /v1/incidents/{id}/indicators: the full new behavioral-health coding and why it changed. */
export const reclassifyIncidentRequestSchema = z.strictObject({
  behavioralHealth: bhCodingSchema,
  reason: z.strictObject({
    // review-queue is set by accepting a review item, never sent by a client.
    code: reclassificationReasonCodeSchema.exclude(['review-queue']),
    note: z.string().trim().min(1).max(2000).optional(),
  }),
});
export type ReclassifyIncidentRequest = z.infer<typeof reclassifyIncidentRequestSchema>;
