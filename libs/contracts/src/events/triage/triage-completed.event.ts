import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, riskLevelSchema, urgencySchema } from '../../common.schemas';

export const triageCompletedData = z.strictObject({
  triageId: idSchema,
  incidentId: idSchema,
  personId: idSchema.optional(),
  riskLevel: riskLevelSchema,
  pathway: z.enum(['no-further-action', 'follow-up', 'referral', 'co-response', 'case-conference']),
  needs: z
    .array(
      z.enum([
        'mental-health',
        'substance-use',
        'housing',
        'elder-services',
        'youth-services',
        'veteran-services',
        'medical',
        'basic-needs',
      ]),
    )
    .max(8),
  urgency: urgencySchema,
  decidedBy: z.enum(['rules', 'clinician']),
  deciderId: idSchema.optional(),
  rulesetVersion: z.number().int().nonnegative(),
  caseId: idSchema.optional(),
});

export const triageCompleted = defineEvent({
  type: 'cit.triage.completed.v1',
  topic: 'cit.triage.v1',
  aggregate: 'triage',
  producer: 'triage',
  summary: 'A triage decision was made for an incident (by rules or a clinician).',
  data: triageCompletedData,
  example: {
    triageId: 'tri_01JD8Z7A1B2C3D4E5F6G7H8J9K',
    incidentId: 'inc_01JD8Z6Q3KX7C2V9M4T5R8N1PA',
    personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
    riskLevel: 'high',
    pathway: 'referral',
    needs: ['mental-health', 'veteran-services'],
    urgency: 'urgent',
    decidedBy: 'rules',
    rulesetVersion: 4,
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
  },
});
export type TriageCompleted = z.infer<typeof triageCompletedData>;
