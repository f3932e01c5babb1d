import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import {
  bhCodingSchema,
  encryptedValueSchema,
  idSchema,
  subjectFlagsSchema,
  timestampSchema,
} from '../../common.schemas';
import { encounterSchema, incidentSourceSchema } from '../../intake-codes.schemas';

export const incidentSubjectSchema = z.strictObject({
  subjectId: idSchema,
  personId: idSchema.optional().describe('Person the subject was matched to within the department'),
  flags: subjectFlagsSchema,
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .optional()
    .describe('BCP 47 language tag'),
  name: encryptedValueSchema,
  dateOfBirth: encryptedValueSchema.optional(),
  phone: encryptedValueSchema.optional(),
  address: encryptedValueSchema.optional(),
});

export const incidentReportedData = z.strictObject({
  incidentId: idSchema,
  externalIds: z.strictObject({
    cadCallNumber: z.string().min(1).max(64).optional(),
    rmsIncidentNumber: z.string().min(1).max(64).optional(),
  }),
  occurredAt: timestampSchema,
  receivedAt: timestampSchema,
  district: z.string().min(1).max(64).optional(),
  callType: z.string().min(1).max(64),
  disposition: z.string().min(1).max(64).optional(),
  encounter: encounterSchema,
  behavioralHealth: bhCodingSchema,
  reportingOfficerId: idSchema,
  subjects: z.array(incidentSubjectSchema).max(20),
  narrative: encryptedValueSchema.optional(),
  source: incidentSourceSchema,
});

export const incidentReported = defineEvent({
  type: 'cit.incident.reported.v1',
  topic: 'cit.incident.v1',
  aggregate: 'incident',
  producer: 'intake',
  summary: 'A call for service was recorded with its behavioral-health coding.',
  data: incidentReportedData,
  phiFields: ['subjects[].name', 'subjects[].dateOfBirth', 'subjects[].phone', 'subjects[].address', 'narrative'],
  example: {
    incidentId: 'inc_01JD8Z6Q3KX7C2V9M4T5R8N1PA',
    externalIds: { cadCallNumber: 'CAD-2026-118842', rmsIncidentNumber: 'RMS-26-004512' },
    occurredAt: '2026-11-27T02:14:00-05:00',
    receivedAt: '2026-11-27T02:16:31-05:00',
    district: 'sector-3',
    callType: 'welfare-check',
    disposition: 'transported-voluntary',
    encounter: 'non-criminal',
    behavioralHealth: { relatedTo: 'mental-health', observations: ['suicidal-statements'], suspectedUsing: ['N'] },
    reportingOfficerId: 'officer-4471',
    subjects: [
      {
        subjectId: 'sub_01JD8Z6Q3M2F9K7H5B3N6C8D0E',
        personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
        flags: { juvenile: false, senior: false, veteran: true, experiencingHomelessness: false },
        language: 'en',
        name: 'enc:v1:dev-1:d3JhcHBlZA:aXY:dGFn:Y2lwaGVy',
        dateOfBirth: 'enc:v1:dev-1:d3JhcHBlZA:aXY:dGFn:Y2lwaGVy',
      },
    ],
    narrative: 'enc:v1:dev-1:d3JhcHBlZA:aXY:dGFn:Y2lwaGVy',
    source: 'api',
  },
});
export type IncidentReported = z.infer<typeof incidentReportedData>;
