import { riskLevelSchema } from '@cit/contracts';
import { z } from 'zod';
import { ageRangeSchema } from '../domain/age-range';
import { genderSchema, nominationReasonCodeSchema, seriesKindSchema } from '../domain/presentation-codes';
import { riskFactorsSchema } from '../domain/risk-factors';

/** PATCH /v1/nominations/{id}: the coordinator prepares the de-identified presentation before the table. */
export const updatePresentationRequestSchema = z
  .strictObject({
    ageRange: ageRangeSchema.optional(),
    gender: genderSchema.optional(),
    riskFactors: riskFactorsSchema.optional(),
    riskLevel: riskLevelSchema.optional(),
    reasonCode: nominationReasonCodeSchema.optional(),
    seriesKind: seriesKindSchema.optional(),
    expectedVersion: z.number().int().positive().optional(),
  })
  .refine((v) => Object.keys(v).some((k) => k !== 'expectedVersion'), {
    message: 'name at least one field to change',
    path: ['(body)'],
  });
export type UpdatePresentationRequest = z.infer<typeof updatePresentationRequestSchema>;
