import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, riskLevelSchema } from '../../common.schemas';

export const conferenceCaseScheduledData = z.strictObject({
  sessionId: idSchema,
  nominationId: idSchema,
  caseId: idSchema,
  position: z.number().int().positive(),
  riskLevel: riskLevelSchema,
  identityLevel: z.enum(['de-identified', 'limited-identity']).describe('HUB four-filter stage'),
  movedFromSessionId: idSchema.optional(),
  kind: z
    .enum(['new', 'status-update'])
    .optional()
    .describe('new: first time on an agenda; status-update: an open case brought back until it closes'),
});

export const conferenceCaseScheduled = defineEvent({
  type: 'cit.conference.case-scheduled.v1',
  topic: 'cit.conference.v1',
  aggregate: 'conference-session',
  producer: 'conference',
  summary: 'A nominated case was placed on (or moved to) a session agenda.',
  data: conferenceCaseScheduledData,
  example: {
    sessionId: 'ses_01JD8Z7F7G8H9J0K1L2M3N4P5Q',
    nominationId: 'nom_01JD8Z7G8H9J0K1L2M3N4P5Q6R',
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    position: 2,
    riskLevel: 'urgent',
    identityLevel: 'de-identified',
    kind: 'new',
  },
});
export type ConferenceCaseScheduled = z.infer<typeof conferenceCaseScheduledData>;
