import { riskLevelSchema } from '@cit/contracts';
import { z } from 'zod';
import { ageRangeSchema } from '../domain/age-range';
import { genderSchema } from '../domain/presentation-codes';
import { riskFactorsSchema } from '../domain/risk-factors';

/** POST /v1/nominations/{id}/verify: a coordinator accepts a pending nomination (completing its presentation) or rejects it. */
export const verifyNominationRequestSchema = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('accept'),
    riskLevel: riskLevelSchema.optional(),
    riskFactors: riskFactorsSchema.optional().describe('Required when the nomination has none yet (family form)'),
    ageRange: ageRangeSchema.optional(),
    gender: genderSchema.optional(),
    expectedVersion: z.number().int().positive().optional(),
  }),
  z.strictObject({
    decision: z.literal('reject'),
    reason: z.enum(['could-not-verify', 'not-eligible', 'no-risk-identified', 'handled-elsewhere', 'other']),
    expectedVersion: z.number().int().positive().optional(),
  }),
]);
export type VerifyNominationRequest = z.infer<typeof verifyNominationRequestSchema>;
