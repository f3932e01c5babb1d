import { idSchema } from '@cit/contracts';
import { z } from 'zod';

/** Who sits at a session: a member agency's representative, a police officer, a provider's staff member. */
export const attendeeKindSchema = z.enum(['agency-representative', 'officer', 'provider-staff']);
export type AttendeeKind = z.infer<typeof attendeeKindSchema>;

/** PUT /v1/sessions/{sessionId}/attendance: the whole attendance of the session (replaces what was recorded). */
export const recordAttendanceRequestSchema = z.strictObject({
  attendees: z
    .array(
      z.strictObject({
        kind: attendeeKindSchema,
        id: idSchema.describe('staff id (officer badge or employee id) or the representative’s id'),
        /** Staff names are not PHI; kept so the roster reads without a directory lookup. */
        name: z.string().trim().min(1).max(200).optional(),
        agencyId: idSchema.optional().describe('the agency the attendee represents or works for'),
        present: z.boolean(),
        training: z
          .strictObject({
            completed: z.boolean(),
            hours: z.number().min(0).max(24).multipleOf(0.25),
          })
          .optional()
          .describe('cross-training sessions only: whether the attendee completed the training, and its hours'),
      }),
    )
    .max(500),
});
export type RecordAttendanceRequest = z.infer<typeof recordAttendanceRequestSchema>;
