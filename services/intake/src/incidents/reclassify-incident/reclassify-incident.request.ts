import { bhCodingSchema } from '@cit/contracts';
import { z } from 'zod';

/** PUT /v1/incidents/{id}/indicators: the full new behavioral-health coding and why it changed. */
export const reclassifyIncidentRequestSchema = z.strictObject({
  behavioralHealth: bhCodingSchema,
  reason: z.strictObject({
    code: z.enum(['new-information', 'clinical-review', 'data-entry-error', 'supervisor-correction', 'other']),
    note: z.string().trim().min(1).max(2000).optional(),
  }),
});
export type ReclassifyIncidentRequest = z.infer<typeof reclassifyIncidentRequestSchema>;
