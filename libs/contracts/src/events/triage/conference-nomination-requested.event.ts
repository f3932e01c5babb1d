import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, riskLevelSchema } from '../../common.schemas';

export const conferenceNominationRequestedData = z.strictObject({
  nominationRequestId: idSchema.describe('Stable per person and repeat-contact window: a redelivery repeats it'),
  caseId: idSchema.optional().describe('The person’s open care-coordination case, if any'),
  personId: idSchema,
  reason: z.enum(['repeat-contacts', 'acutely-elevated-risk', 'clinician-request', 'partner-request']),
  riskLevel: riskLevelSchema,
  incidentIds: z.array(idSchema).max(50).optional().describe('Incidents that met the rule, oldest first'),
  incidentCount: z.number().int().nonnegative().optional(),
  windowDays: z.number().int().positive().optional(),
  windowStartedAt: z.iso.datetime({ offset: true }).optional(),
  preferredSeriesKind: z.enum(['hub', 'ccit', 'clear']).optional(),
});

export const conferenceNominationRequested = defineEvent({
  type: 'cit.conference.nomination-requested.v1',
  topic: 'cit.triage.v1',
  aggregate: 'person',
  producer: 'triage',
  summary:
    'Triage asks the conference service to put a person on a multi-agency case conference (for example ' +
    'when the department’s repeat-contact rule is met; once per person per window).',
  data: conferenceNominationRequestedData,
  example: {
    nominationRequestId: 'nrq_01JD8Z7C4D5E6F7G8H9J0K1L2M',
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
    reason: 'repeat-contacts',
    riskLevel: 'urgent',
    incidentIds: ['inc_01JD8Z6Q3KX7C2V9M4T5R8N1PA', 'inc_01JD8Z6Q3KX7C2V9M4T5R8N1PB', 'inc_01JD8Z6Q3KX7C2V9M4T5R8N1PC'],
    incidentCount: 3,
    windowDays: 30,
    windowStartedAt: '2026-11-02T13:40:00-05:00',
    preferredSeriesKind: 'ccit',
  },
});
export type ConferenceNominationRequested = z.infer<typeof conferenceNominationRequestedData>;
