import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, riskLevelSchema } from '../../common.schemas';

export const conferenceNominationRequestedData = z.strictObject({
  nominationRequestId: idSchema,
  caseId: idSchema,
  personId: idSchema,
  reason: z.enum(['repeat-contacts', 'acutely-elevated-risk', 'clinician-request', 'partner-request']),
  riskLevel: riskLevelSchema,
  incidentCount: z.number().int().nonnegative().optional(),
  windowDays: z.number().int().positive().optional(),
  preferredSeriesKind: z.enum(['hub', 'ccit', 'clear']).optional(),
});

export const conferenceNominationRequested = defineEvent({
  type: 'cit.conference.nomination-requested.v1',
  topic: 'cit.triage.v1',
  aggregate: 'case',
  producer: 'triage',
  summary: 'Triage asks the conference service to put a case on a multi-agency case conference.',
  data: conferenceNominationRequestedData,
  example: {
    nominationRequestId: 'nrq_01JD8Z7C4D5E6F7G8H9J0K1L2M',
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
    reason: 'repeat-contacts',
    riskLevel: 'high',
    incidentCount: 3,
    windowDays: 30,
    preferredSeriesKind: 'hub',
  },
});
export type ConferenceNominationRequested = z.infer<typeof conferenceNominationRequestedData>;
