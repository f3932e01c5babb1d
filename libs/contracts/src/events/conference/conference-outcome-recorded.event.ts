import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema } from '../../common.schemas';

export const conferenceOutcomeRecordedData = z.strictObject({
  sessionId: idSchema,
  caseId: idSchema,
  nominationId: idSchema.optional(),
  decision: z.enum(['acutely-elevated-risk', 'not-acutely-elevated', 'rejected', 'deferred']),
  leadAgencyId: idSchema.optional(),
  assistingAgencyIds: z.array(idSchema),
  actionItems: z.array(
    z.strictObject({
      actionItemId: idSchema,
      ownerAgencyId: idSchema,
      dueAt: z.iso.datetime({ offset: true }),
      kind: z.enum(['contact-person', 'home-visit', 'service-connection', 'report-back', 'other']),
    }),
  ),
  status: z
    .enum(['connected-to-services', 'risk-mitigated', 'refused', 'carry-over'])
    .optional()
    .describe('where the case stands after the session; carry-over keeps it open for a status update'),
});

export const conferenceOutcomeRecorded = defineEvent({
  type: 'cit.conference.outcome-recorded.v1',
  topic: 'cit.conference.v1',
  aggregate: 'conference-session',
  producer: 'conference',
  summary: 'The table recorded its decision, lead and assisting agencies, and action items.',
  data: conferenceOutcomeRecordedData,
  example: {
    sessionId: 'ses_01JD8Z7F7G8H9J0K1L2M3N4P5Q',
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    nominationId: 'nom_01JD8Z7G8H9J0K1L2M3N4P5Q6R',
    decision: 'acutely-elevated-risk',
    leadAgencyId: 'metro-mobile-crisis',
    assistingAgencyIds: ['northside-housing'],
    actionItems: [
      {
        actionItemId: 'act_01JD8Z7H9J0K1L2M3N4P5Q6R7S',
        ownerAgencyId: 'metro-mobile-crisis',
        dueAt: '2026-12-04T17:00:00-05:00',
        kind: 'home-visit',
      },
    ],
    status: 'connected-to-services',
  },
});
export type ConferenceOutcomeRecorded = z.infer<typeof conferenceOutcomeRecordedData>;
