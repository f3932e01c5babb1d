import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import {
  ageRangeSchema,
  idSchema,
  riskLevelSchema,
  sectorSchema,
  timestampSchema,
  triageNeedSchema,
  triagePathwaySchema,
} from '../../common.schemas';

const distinct = (codes: readonly string[]) => new Set(codes).size === codes.length;

/** Why a decision must wait for an officer or supervisor consultation before any referral. */
export const consultationReasonSchema = z.enum(['court-involved', 'open-investigation']);

export const triageCompletedData = z
  .strictObject({
    triageId: idSchema.describe('The decision; a superseding decision has its own id'),
    incidentId: idSchema,
    personId: idSchema.optional().describe('Person the triaged subject was matched to within the department'),
    caseId: idSchema.optional().describe('Care-coordination case the decision opened or joined'),
    riskLevel: riskLevelSchema,
    needs: z.array(triageNeedSchema).max(10).refine(distinct, 'must not repeat a need'),
    pathways: z
      .array(triagePathwaySchema)
      .min(1)
      .max(6)
      .refine(distinct, 'must not repeat a pathway')
      .refine(
        (p) => !p.includes('no-further-action') || p.length === 1,
        'no-further-action cannot be combined with other pathways',
      )
      .describe('Most urgent first; the first is the primary pathway'),
    sector: sectorSchema.optional().describe('Social-justice unit sector, where the program model has them'),
    assigneeId: idSchema.optional().describe('Staff member (unit, sector or clinician) assigned'),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
      .optional()
      .describe('BCP 47 language tag of the person'),
    ageRange: ageRangeSchema,
    area: z.string().min(1).max(64).optional().describe('District or sector of the incident'),
    legalBasis: z.strictObject({
      imminentThreat164512j: z
        .boolean()
        .describe('HIPAA 45 CFR 164.512(j): disclosure to avert a serious and imminent threat is available'),
      consent: z
        .enum(['not-recorded', 'given', 'declined'])
        .describe('The person’s consent to share with partners, as far as triage knows'),
    }),
    consultation: z.strictObject({
      required: z.boolean().describe('An officer or supervisor consultation is required before any referral'),
      reasons: z.array(consultationReasonSchema).max(2).refine(distinct, 'must not repeat a reason'),
      consultedBy: idSchema
        .optional()
        .describe('Supervisor who recorded the consultation; referrals wait for it when required'),
      consultedAt: timestampSchema.optional(),
    }),
    crisisPlanOnFile: z.boolean().describe('The person has a current crisis response plan'),
    decidedBy: z.enum(['rules', 'supervisor']),
    deciderId: idSchema.optional().describe('Supervisor who confirmed or overrode the decision'),
    rulesetVersion: z
      .number()
      .int()
      .nonnegative()
      .describe(
        'Department ruleset version the decision was made with; 0 = the default ruleset shipped with the product',
      ),
    supersedes: idSchema.optional().describe('triageId of the earlier decision this one replaces'),
    supersedeReason: z.enum(['reclassification', 'override']).optional(),
    decidedAt: timestampSchema,
  })
  .refine((d) => (d.supersedes === undefined) === (d.supersedeReason === undefined), {
    message: 'supersedes and supersedeReason go together',
    path: ['supersedeReason'],
  })
  .refine((d) => d.consultation.required === d.consultation.reasons.length > 0, {
    message: 'a required consultation names its reasons, and only then',
    path: ['consultation', 'reasons'],
  });

export const triageCompleted = defineEvent({
  type: 'cit.triage.completed.v1',
  topic: 'cit.triage.v1',
  aggregate: 'incident',
  producer: 'triage',
  summary:
    'A triage decision was made for an incident, by the department ruleset or a supervisor; a later decision ' +
    '(reclassification or supervisor override) supersedes the earlier one. Keyed by incident, so the decisions ' +
    'of one incident arrive in order. Carries no PHI.',
  data: triageCompletedData,
  example: {
    triageId: 'tri_01JD8Z7A1B2C3D4E5F6G7H8J9K',
    incidentId: 'inc_01JD8Z6Q3KX7C2V9M4T5R8N1PA',
    personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    riskLevel: 'imminent',
    needs: ['mental-health'],
    pathways: ['mobile-crisis-now', 'clinician-outreach'],
    sector: 'mental-health',
    language: 'en',
    ageRange: 'adult',
    area: 'sector-3',
    legalBasis: { imminentThreat164512j: true, consent: 'not-recorded' },
    consultation: { required: false, reasons: [] },
    crisisPlanOnFile: false,
    decidedBy: 'rules',
    rulesetVersion: 4,
    supersedes: 'tri_01JD8Z79ZB2C3D4E5F6G7H8J9K',
    supersedeReason: 'reclassification',
    decidedAt: '2026-11-27T02:16:32-05:00',
  },
});
export type TriageCompleted = z.infer<typeof triageCompletedData>;
