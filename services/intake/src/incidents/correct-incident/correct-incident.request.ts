import { encounterSchema, incidentSubjectInputSchema, incidentUpdateReasonCodeSchema } from '@cit/contracts';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

const subjectCorrectionSchema = incidentSubjectInputSchema
  .omit({ flags: true })
  .partial()
  .extend({
    id: z.string().min(1).max(64),
    flags: incidentSubjectInputSchema.shape.flags.unwrap().partial().optional(),
  })
  .strict();

/** PATCH /v1/incidents/{id}: corrections of recorded fields, always with a reason. */
export const correctIncidentRequestSchema = z.strictObject({
  changes: z
    .strictObject({
      rmsIncidentNumber: text(64).optional(),
      occurredAt: z.iso.datetime({ offset: true }).optional(),
      receivedAt: z.iso.datetime({ offset: true }).optional(),
      callType: text(64).optional(),
      disposition: text(64).optional(),
      encounter: encounterSchema.optional(),
      district: text(64).optional(),
      locationAddress: text(300).optional().describe('PHI: stored encrypted'),
      latitude: z.number().min(-90).max(90).optional(),
      longitude: z.number().min(-180).max(180).optional(),
      narrative: z.string().trim().min(1).max(20000).optional().describe('PHI: stored encrypted'),
      reportingOfficerId: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be an identifier')
        .optional(),
      subjects: z.array(subjectCorrectionSchema).min(1).max(20).optional(),
    })
    .refine((c) => Object.keys(c).length > 0, 'at least one field must change'),
  reason: z.strictObject({
    // supplement is the reason of an appended supplement, never of a correction.
    code: incidentUpdateReasonCodeSchema.exclude(['supplement']),
    note: z.string().trim().min(1).max(2000).optional().describe('May hold PHI: stored encrypted'),
  }),
});
export type CorrectIncidentRequest = z.infer<typeof correctIncidentRequestSchema>;
