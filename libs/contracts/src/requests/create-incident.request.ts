import { z } from 'zod';
import { bhCodingSchema, subjectFlagsSchema, timestampSchema } from '../common.schemas';
import example from './create-incident.example.json';
import { encounterSchema } from '../intake-codes.schemas';

const text = (max: number) => z.string().trim().min(1).max(max);

export const incidentSubjectInputSchema = z.strictObject({
  name: text(200).describe('PHI: stored encrypted'),
  dateOfBirth: z.iso.date().optional().describe('PHI (YYYY-MM-DD): stored encrypted'),
  phone: z
    .string()
    .regex(/^[0-9+().\-\s]{7,25}$/, 'must be a phone number')
    .optional()
    .describe('PHI: stored encrypted'),
  address: text(300).optional().describe('PHI: stored encrypted'),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag')
    .optional(),
  flags: subjectFlagsSchema.partial().default({}),
});

/** POST /v1/incidents: a call for service with its behavioral-health coding. */
export const createIncidentRequestSchema = z.strictObject({
  externalIds: z
    .strictObject({
      cadCallNumber: text(64).optional(),
      rmsIncidentNumber: text(64).optional(),
    })
    .default({}),
  occurredAt: timestampSchema,
  receivedAt: timestampSchema.optional(),
  location: z
    .strictObject({
      address: text(300).optional(),
      latitude: z.number().min(-90).max(90).optional(),
      longitude: z.number().min(-180).max(180).optional(),
      district: text(64).optional(),
    })
    .default({}),
  callType: text(64),
  disposition: text(64).optional(),
  encounter: encounterSchema,
  narrative: z.string().trim().min(1).max(20000).optional().describe('PHI: stored encrypted'),
  reportingOfficerId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be an identifier'),
  behavioralHealth: bhCodingSchema,
  subjects: z.array(incidentSubjectInputSchema).max(20).default([]),
});

export type CreateIncidentRequest = z.infer<typeof createIncidentRequestSchema>;

/** A valid request body, used by the docs, the demo seed and the contract tests. */
export const createIncidentExample: z.input<typeof createIncidentRequestSchema> = example as z.input<
  typeof createIncidentRequestSchema
>;
