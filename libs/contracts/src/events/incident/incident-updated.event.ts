import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema } from '../../common.schemas';
import { incidentUpdateKindSchema, incidentUpdateReasonCodeSchema } from '../../intake-codes.schemas';

export const incidentUpdatedData = z.strictObject({
  incidentId: idSchema,
  changedFields: z
    .array(z.string().min(1).max(64))
    .min(1)
    .describe('Names of the corrected fields, never their values'),
  kind: incidentUpdateKindSchema,
  reasonCode: incidentUpdateReasonCodeSchema,
  updatedBy: idSchema,
  version: z.number().int().positive(),
});

export const incidentUpdated = defineEvent({
  type: 'cit.incident.updated.v1',
  topic: 'cit.incident.v1',
  aggregate: 'incident',
  producer: 'intake',
  summary: 'Incident fields were corrected or a supplement was appended.',
  data: incidentUpdatedData,
  example: {
    incidentId: 'inc_01JD8Z6Q3KX7C2V9M4T5R8N1PA',
    changedFields: ['disposition', 'district'],
    kind: 'correction',
    reasonCode: 'data-entry-error',
    updatedBy: 'officer-4471',
    version: 2,
  },
});
export type IncidentUpdated = z.infer<typeof incidentUpdatedData>;
